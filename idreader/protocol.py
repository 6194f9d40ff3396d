"""The SAM frame protocol of 二代证 readers: build commands, parse replies, decode the card text; pure.

A frame is AA AA AA 96 69, a 2-byte big-endian length counting every byte after it, the body, and
a checksum: the XOR of the length bytes and the body. A command's body is command, parameter, data;
a reply's is SW1 SW2 SW3 (the status), data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from idreader.card import NATION_CODES, NATION_NAMES, SEX_CODES, SEX_NAMES, Card

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER = len(PREAMBLE) + 2
# A read-with-fingerprint reply is 2,321 bytes; anything much longer is a false preamble.
MAX_LENGTH = 4096

FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_BASE = (0x30, 0x01)
SAM_STATUS = (0x11, 0xFF)
SAM_RESET = (0x10, 0xFF)

# SW3 of a reply (SW1 SW2 are 00 00), as the SAM_V interface documents them.
OK = 0x90
FOUND = 0x9F
NO_CONTENT = 0x91
FIND_FAILED = 0x80
SELECT_FAILED = 0x81
READ_FAILED = 0x41
STATUS_TEXT = {
    0x90: "操作成功", 0x91: "证/卡中此项无内容", 0x9F: "寻找证/卡成功",
    0x10: "接收业务终端数据的校验和错", 0x11: "接收业务终端数据的长度错",
    0x21: "接收业务终端的命令错误", 0x23: "越权操作", 0x24: "无法识别的错误",
    0x31: "证/卡认证 SAM 失败", 0x32: "SAM 认证证/卡失败", 0x33: "信息验证错误",
    0x40: "无法识别的卡类型", 0x41: "读证/卡操作失败", 0x47: "取随机数失败",
    0x60: "SAM 自检失败，不能接收命令", 0x66: "SAM 未经授权，无法使用",
    0x80: "寻找证/卡失败", 0x81: "选取证/卡失败",
}

TEXT_LENGTH = 256
PHOTO_LENGTH = 1024
# (field, bytes) of the 256-byte UCS-2 little-endian text, in order.
TEXT_FIELDS = (("name", 30), ("sex", 2), ("nation", 4), ("birth", 16), ("address", 70), ("id_number", 36),
               ("issuer", 30), ("valid_from", 16), ("valid_to", 16), ("reserved", 36))
FOR_LIFE = "长期"
# Byte 248 of the text names the document type: a space on an ID card, "I" on a foreigner's
# permanent residence card (a different layout), "J" on a Hong Kong/Macao/Taiwan residence permit.
TYPE_OFFSET = 248


class ProtocolError(ValueError):
    """Raised for bytes that are not a valid frame or card text; the message is Chinese first."""


def checksum(body: bytes) -> int:
    """Return the XOR of the bytes (the length field and the body)."""
    value = 0
    for b in body:
        value ^= b
    return value


def _frame(body: bytes) -> bytes:
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([checksum(length + body)])


def build_command(command: int, parameter: int, data: bytes = b"") -> bytes:
    """Return a command frame, e.g. find card → AA AA AA 96 69 00 03 20 01 22."""
    return _frame(bytes([command, parameter]) + data)


def build_reply(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """Return a reply frame with status 00 00 sw3 (what a reader sends back)."""
    return _frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class Reply:
    """One reply frame: its three status bytes and its data."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def status_text(self) -> str:
        """Say what the status means."""
        return STATUS_TEXT.get(self.sw3, f"未知状态 {self.sw1:02X} {self.sw2:02X} {self.sw3:02X}")


@dataclass(frozen=True)
class Command:
    """One command frame as a reader receives it."""

    command: int
    parameter: int
    data: bytes


class FrameBuffer:
    """Collect bytes from a stream and cut whole frames out of it, resynchronising on the preamble."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> None:
        """Add bytes as they arrive."""
        self._buf += data

    def clear(self) -> None:
        """Forget whatever was collected (stale bytes of an earlier exchange)."""
        self._buf.clear()

    @property
    def pending(self) -> int:
        """Return how many bytes wait for the rest of their frame."""
        return len(self._buf)

    def next_body(self) -> bytes | None:
        """Return the next frame's body (checksum verified), or None until a whole frame is here.

        Bytes before a preamble are skipped. A bad checksum raises ProtocolError and drops the frame.
        """
        while True:
            start = self._buf.find(PREAMBLE)
            if start < 0:
                # Keep a tail that may be the start of a preamble split across reads.
                keep = next((k for k in range(len(PREAMBLE) - 1, 0, -1) if self._buf.endswith(PREAMBLE[:k])), 0)
                del self._buf[: len(self._buf) - keep]
                return None
            del self._buf[:start]
            if len(self._buf) < HEADER:
                return None
            length = int.from_bytes(self._buf[5:7], "big")
            if length < 2 or length > MAX_LENGTH:
                del self._buf[:1]  # a false preamble: look for the next one
                continue
            if len(self._buf) < HEADER + length:
                return None
            frame = bytes(self._buf[: HEADER + length])
            del self._buf[: HEADER + length]
            if checksum(frame[5:-1]) != frame[-1]:
                raise ProtocolError(f"读卡器应答校验和错误 (checksum {frame[-1]:02X}, expected "
                                    f"{checksum(frame[5:-1]):02X})")
            return frame[HEADER:-1]

    def next_reply(self) -> Reply | None:
        """Return the next reply frame, or None until one is whole."""
        body = self.next_body()
        if body is None:
            return None
        if len(body) < 3:
            raise ProtocolError(f"读卡器应答过短 ({len(body)} bytes, a reply has 3 status bytes)")
        return Reply(body[0], body[1], body[2], body[3:])

    def next_command(self) -> Command | None:
        """Return the next command frame, or None until one is whole (the reader's side)."""
        body = self.next_body()
        if body is None:
            return None
        if len(body) < 2:
            raise ProtocolError("命令帧过短 (a command has a command and a parameter byte)")
        return Command(body[0], body[1], body[2:])


def parse_reply(frame: bytes) -> Reply:
    """Parse one complete reply frame (leading bytes before the preamble are skipped)."""
    buf = FrameBuffer()
    buf.feed(frame)
    reply = buf.next_reply()
    if reply is None:
        raise ProtocolError(f"读卡器应答不完整 (incomplete frame: {len(frame)} bytes)")
    return reply


# ---- the card text ---------------------------------------------------------------------------


def _fields(text: bytes) -> dict[str, str]:
    out, pos = {}, 0
    for name, size in TEXT_FIELDS:
        out[name] = text[pos:pos + size].decode("utf-16-le", errors="replace").rstrip(" \x00")
        pos += size
    return out


def _date(value: str, what: str) -> date:
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError as exc:
        raise ProtocolError(f"卡片{what}无法识别：{value!r}") from exc


def decode_text(text: bytes) -> Card:
    """Decode the 256-byte UCS-2 text block into a Card (codes become names)."""
    if len(text) < TEXT_LENGTH:
        raise ProtocolError(f"卡片文字信息不完整 ({len(text)} of {TEXT_LENGTH} bytes)")
    if text[TYPE_OFFSET:TYPE_OFFSET + 2] == "I".encode("utf-16-le"):
        raise ProtocolError("暂不支持外国人永久居留身份证，请使用居民身份证")
    f = _fields(text[:TEXT_LENGTH])
    valid_to = None if f["valid_to"].startswith(FOR_LIFE) else _date(f["valid_to"], "有效期限")
    return Card(
        name=f["name"], sex=SEX_NAMES.get(f["sex"], f["sex"]), nation=NATION_NAMES.get(f["nation"], f["nation"]),
        birth=_date(f["birth"], "出生日期"), address=f["address"], id_number=f["id_number"], issuer=f["issuer"],
        valid_from=_date(f["valid_from"], "签发日期"), valid_to=valid_to,
    )


def decode_base(data: bytes) -> Card:
    """Decode a read-base reply's data: text length, photo length, the text, then the photo (ignored)."""
    if len(data) < 4:
        raise ProtocolError("读卡应答缺少长度信息")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if text_len < TEXT_LENGTH or len(data) < 4 + text_len + photo_len:
        raise ProtocolError(f"读卡应答长度不符 (text {text_len}, photo {photo_len}, data {len(data)} bytes)")
    return decode_text(data[4:4 + text_len])


def _field(value: str, size: int) -> bytes:
    raw = value.encode("utf-16-le")
    if len(raw) > size:
        raise ProtocolError(f"{value!r} 超出卡片字段长度 ({size // 2} 字)")
    return raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


def encode_text(card: Card) -> bytes:
    """Return the 256-byte text block a card holds (what a reader reads off it)."""
    values = {
        "name": card.name, "sex": SEX_CODES.get(card.sex, card.sex),
        "nation": NATION_CODES.get(card.nation, card.nation),
        "birth": f"{card.birth:%Y%m%d}", "address": card.address, "id_number": card.id_number,
        "issuer": card.issuer, "valid_from": f"{card.valid_from:%Y%m%d}",
        "valid_to": FOR_LIFE if card.valid_to is None else f"{card.valid_to:%Y%m%d}", "reserved": "",
    }
    return b"".join(_field(values[name], size) for name, size in TEXT_FIELDS)


def encode_base(card: Card, photo: bytes = bytes(PHOTO_LENGTH)) -> bytes:
    """Return a read-base reply's data for a card: the two lengths, the text and the photo."""
    return TEXT_LENGTH.to_bytes(2, "big") + len(photo).to_bytes(2, "big") + encode_text(card) + photo
