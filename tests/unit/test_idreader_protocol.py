"""The 二代证 SAM frames, built by hand from the published layout, through the pure protocol code."""

from __future__ import annotations

from datetime import date
from functools import reduce

import pytest

from idreader import protocol
from idreader.card import NATION_NAMES, Card
from idreader.protocol import FrameBuffer, ProtocolError
from idreader.reader import ReaderError, parse_reader_url
from idreader.virtual import card_from_spec

PRE = "AA AA AA 96 69"


def hx(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


def xor(data: bytes) -> int:
    return reduce(lambda a, b: a ^ b, data, 0)


def ucs2(value: str, size: int) -> bytes:
    """A field as the card stores it: UCS-2 little-endian, padded with spaces."""
    raw = value.encode("utf-16-le")
    return raw + b"\x20\x00" * ((size - len(raw)) // 2)


def text_block(name: str = "张三", sex: str = "1", nation: str = "01", birth: str = "19800101",
               address: str = "四川省剑阁县普安镇东街12号", number: str = "510823198001011234",
               issuer: str = "剑阁县公安局", start: str = "20200601", end: str = "20400601",
               reserved: str = "") -> bytes:
    block = (ucs2(name, 30) + ucs2(sex, 2) + ucs2(nation, 4) + ucs2(birth, 16) + ucs2(address, 70)
             + ucs2(number, 36) + ucs2(issuer, 30) + ucs2(start, 16) + ucs2(end, 16) + ucs2(reserved, 36))
    assert len(block) == 256
    return block


def read_reply(text: bytes, photo: bytes = b"\x57" * 1024) -> bytes:
    """The read-base reply: 00 00 90, 01 00 (text length), 04 00 (photo length), text, photo."""
    body = hx("00 00 90 01 00 04 00") + text + photo
    length = (len(body) + 1).to_bytes(2, "big")
    return hx(PRE) + length + body + bytes([xor(length + body)])


# ---- commands --------------------------------------------------------------------------------


def test_commands_match_the_published_bytes() -> None:
    assert protocol.build_command(*protocol.FIND_CARD) == hx(f"{PRE} 00 03 20 01 22")
    assert protocol.build_command(*protocol.SELECT_CARD) == hx(f"{PRE} 00 03 20 02 21")
    assert protocol.build_command(*protocol.READ_BASE) == hx(f"{PRE} 00 03 30 01 32")
    assert protocol.build_command(*protocol.SAM_STATUS) == hx(f"{PRE} 00 03 11 FF ED")


def test_a_command_with_data_counts_it_in_length_and_checksum() -> None:
    frame = protocol.build_command(0x60, 0x00, b"\x01\x02")
    assert frame[5:7] == hx("00 05")
    assert frame[-1] == xor(hx("00 05 60 00 01 02"))


# ---- replies ---------------------------------------------------------------------------------


def test_find_success_no_card_and_select_replies() -> None:
    found = protocol.parse_reply(hx(f"{PRE} 00 08 00 00 9F 00 00 00 00 97"))
    assert (found.sw1, found.sw2, found.sw3, found.data) == (0, 0, 0x9F, bytes(4))
    none = protocol.parse_reply(hx(f"{PRE} 00 04 00 00 80 84"))
    assert none.sw3 == protocol.FIND_FAILED and none.status_text == "寻找证/卡失败"
    selected = protocol.parse_reply(hx(f"{PRE} 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C"))
    assert selected.sw3 == protocol.OK and selected.data == bytes(8)
    assert protocol.parse_reply(hx(f"{PRE} 00 04 00 00 81 85")).sw3 == protocol.SELECT_FAILED
    assert protocol.parse_reply(hx(f"{PRE} 00 04 00 00 41 45")).status_text == "读证/卡操作失败"


def test_build_reply_matches_the_published_bytes() -> None:
    assert protocol.build_reply(protocol.FOUND, bytes(4)) == hx(f"{PRE} 00 08 00 00 9F 00 00 00 00 97")
    assert protocol.build_reply(protocol.FIND_FAILED) == hx(f"{PRE} 00 04 00 00 80 84")


def test_an_unknown_status_is_named_with_its_bytes() -> None:
    assert "00 00 5A" in protocol.parse_reply(protocol.build_reply(0x5A)).status_text


def test_a_read_reply_decodes_into_a_card() -> None:
    frame = read_reply(text_block())
    assert frame[5:7] == hx("05 08")  # 1,288: the length every read-base reply carries
    assert len(frame) == 1295
    reply = protocol.parse_reply(frame)
    card = protocol.decode_base(reply.data)
    assert card == Card(name="张三", sex="男", nation="汉", birth=date(1980, 1, 1),
                        address="四川省剑阁县普安镇东街12号", id_number="510823198001011234",
                        issuer="剑阁县公安局", valid_from=date(2020, 6, 1), valid_to=date(2040, 6, 1))


def test_a_card_valid_for_life_has_no_end() -> None:
    card = protocol.decode_text(text_block(birth="19500305", number="51082319500305002X", end="长期"))
    assert card.valid_to is None and card.id_number.endswith("X")


def test_sex_and_nation_codes_become_names() -> None:
    card = protocol.decode_text(text_block(name="马玉兰", sex="2", nation="03"))
    assert (card.name, card.sex, card.nation) == ("马玉兰", "女", "回")
    assert NATION_NAMES["56"] == "基诺" and len([k for k in NATION_NAMES if int(k) <= 56]) == 56


def test_an_unknown_nation_code_is_kept_as_read() -> None:
    assert protocol.decode_text(text_block(nation="99")).nation == "99"


def test_a_long_name_uses_all_fifteen_characters() -> None:
    name = "阿卜杜热合曼·买买提依明江"
    assert protocol.decode_text(text_block(name=name)).name == name


def test_a_bad_date_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match="出生日期"):
        protocol.decode_text(text_block(birth="19801301"))


def test_a_foreigner_card_is_refused_clearly() -> None:
    block = bytearray(text_block())
    block[248:250] = "I".encode("utf-16-le")
    with pytest.raises(ProtocolError, match="外国人永久居留"):
        protocol.decode_text(bytes(block))


def test_lengths_that_do_not_add_up_are_refused() -> None:
    good = protocol.parse_reply(read_reply(text_block())).data
    with pytest.raises(ProtocolError, match="长度"):
        protocol.decode_base(good[:600])
    with pytest.raises(ProtocolError):
        protocol.decode_base(b"\x01")


# ---- the byte stream -------------------------------------------------------------------------


def test_a_bad_checksum_is_refused() -> None:
    frame = bytearray(hx(f"{PRE} 00 08 00 00 9F 00 00 00 00 97"))
    frame[-1] ^= 0x01
    with pytest.raises(ProtocolError, match="校验和"):
        protocol.parse_reply(bytes(frame))
    big = bytearray(read_reply(text_block()))
    big[100] ^= 0x40  # a flipped bit in the name
    with pytest.raises(ProtocolError):
        protocol.parse_reply(bytes(big))


def test_a_short_read_waits_for_the_rest() -> None:
    frame = read_reply(text_block())
    buf = FrameBuffer()
    for i in range(0, len(frame) - 1, 200):
        buf.feed(frame[i:min(i + 200, len(frame) - 1)])
        assert buf.next_reply() is None
    buf.feed(frame[-1:])
    reply = buf.next_reply()
    assert reply is not None and protocol.decode_base(reply.data).name == "张三"
    assert buf.pending == 0


def test_a_truncated_frame_alone_is_incomplete() -> None:
    with pytest.raises(ProtocolError, match="不完整"):
        protocol.parse_reply(read_reply(text_block())[:700])


def test_garbage_before_and_after_is_skipped() -> None:
    buf = FrameBuffer()
    buf.feed(b"\x00\xff\x13noise\xaa\x96" + hx(f"{PRE} 00 04 00 00 80 84") + b"\x00\x13trailing")
    reply = buf.next_reply()
    assert reply is not None and reply.sw3 == 0x80
    assert buf.next_reply() is None  # the trailing bytes are not a frame
    buf.feed(hx(f"{PRE} 00 08 00 00 9F 00 00 00 00 97"))
    second = buf.next_reply()
    assert second is not None and second.sw3 == 0x9F


def test_a_preamble_split_across_reads_is_kept() -> None:
    buf = FrameBuffer()
    buf.feed(b"junk\xaa\xaa")
    assert buf.next_reply() is None
    buf.feed(hx("AA 96 69 00 04 00 00 80 84"))
    reply = buf.next_reply()
    assert reply is not None and reply.sw3 == 0x80


def test_a_false_preamble_with_an_absurd_length_is_skipped() -> None:
    buf = FrameBuffer()
    buf.feed(hx(f"{PRE} FF FF") + hx(f"{PRE} 00 04 00 00 80 84"))
    reply = buf.next_reply()
    assert reply is not None and reply.sw3 == 0x80


def test_two_frames_in_one_read_come_out_in_order() -> None:
    buf = FrameBuffer()
    buf.feed(hx(f"{PRE} 00 08 00 00 9F 00 00 00 00 97") + hx(f"{PRE} 00 04 00 00 81 85"))
    first, second = buf.next_reply(), buf.next_reply()
    assert first is not None and second is not None and (first.sw3, second.sw3) == (0x9F, 0x81)


def test_a_command_frame_parses_on_the_reader_side() -> None:
    buf = FrameBuffer()
    buf.feed(hx(f"{PRE} 00 03 30 01 32"))
    command = buf.next_command()
    assert command is not None and (command.command, command.parameter, command.data) == (0x30, 0x01, b"")


# ---- encoding (the virtual reader's side) ---------------------------------------------------


def test_encoding_a_card_gives_the_hand_built_block() -> None:
    card = protocol.decode_text(text_block())
    assert protocol.encode_text(card) == text_block()
    life = protocol.decode_text(text_block(end="长期"))
    assert protocol.encode_text(life) == text_block(end="长期")


def test_a_field_too_long_for_the_card_is_refused() -> None:
    card = card_from_spec("张三,510823198001011234,address=" + "很" * 36)
    with pytest.raises(ProtocolError, match="35"):
        protocol.encode_text(card)


def test_card_repr_is_masked() -> None:
    card = protocol.decode_text(text_block())
    assert "510823198001011234" not in repr(card) and "张三" not in repr(card)
    assert repr(card) == "Card(name='张*', id_number='510823********1234')"


# ---- cards from a spec and reader URLs ------------------------------------------------------


def test_a_card_from_name_and_number_takes_sex_and_birth_from_the_number() -> None:
    card = card_from_spec("李秀英, 51082319551120002x")
    assert card.id_number == "51082319551120002X" and card.sex == "女" and card.birth == date(1955, 11, 20)
    assert card.valid_to is None  # 64 at issue: valid for life
    assert card_from_spec("王小明,510823201501010011").valid_to == date(2025, 6, 1)  # 5 years under 16


def test_a_card_spec_may_set_every_field() -> None:
    card = card_from_spec("张三,510823198001011234,nation=彝,address=普安镇,valid_from=2019-03-04,valid_to=长期")
    assert (card.nation, card.address, card.valid_from, card.valid_to) == ("彝", "普安镇", date(2019, 3, 4), None)


@pytest.mark.parametrize("spec", ["张三", ",510823198001011234", "张三,5108231980", "张三,510823198001011234,age=3",
                                  "张三,510823198013011234"])
def test_a_bad_card_spec_says_why_in_chinese(spec: str) -> None:
    with pytest.raises(ValueError, match=r"[\u4e00-\u9fff]"):
        card_from_spec(spec)


def test_reader_urls() -> None:
    tcp = parse_reader_url("tcp://127.0.0.1:9300")
    assert (tcp.scheme, tcp.host, tcp.port) == ("tcp", "127.0.0.1", 9300)
    serial = parse_reader_url("serial:///dev/ttyUSB0?baudrate=9600")
    assert (serial.scheme, serial.path, serial.baudrate) == ("serial", "/dev/ttyUSB0", 9600)
    assert parse_reader_url("serial:///dev/ttyS1").baudrate == 115200
    assert parse_reader_url("serial:///dev/ttyS1", default_baudrate=57600).baudrate == 57600


@pytest.mark.parametrize("url", ["usb://1234:5678", "tcp://127.0.0.1", "tcp://:9300", "tcp://h:port",
                                 "serial://", "serial:///dev/ttyUSB0?baudrate=fast", "serial:///dev/x?baudrate=0",
                                 "/dev/ttyUSB0"])
def test_bad_reader_urls_are_refused_in_chinese(url: str) -> None:
    with pytest.raises(ReaderError, match="读卡器"):
        parse_reader_url(url)
