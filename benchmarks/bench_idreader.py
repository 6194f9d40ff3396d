"""Time of one read_card cycle (find, select, read) against the virtual 二代证 reader.

Run: .venv/bin/python benchmarks/bench_idreader.py [--n 500]
"tcp" goes over loopback TCP, "pty" over a pseudo-terminal through pyserial (the serial code path,
without a real line's speed). A real reader at 115200 baud also spends the wire time printed below,
plus the card's own read time (the SAM answers a read within 3 s, typically well under 1 s).
"""

from __future__ import annotations

import argparse
import statistics
import time

from idreader import open_reader
from idreader.protocol import build_command, build_reply, encode_base
from idreader.virtual import VirtualIdReader, card_from_spec


def pct(values: list[float], q: float) -> float:
    """Return the q-quantile (nearest rank) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def wire_ms(baud: int) -> float:
    """Return the milliseconds the frames of one cycle take on a serial line (10 bits a byte)."""
    card = card_from_spec("张三,510823198001011234")
    frames = (3 * len(build_command(0x20, 0x01)) + len(build_reply(0x9F, bytes(4)))
              + len(build_reply(0x90, bytes(8))) + len(build_reply(0x90, encode_base(card))))
    return frames * 10 / baud * 1000


def main() -> None:
    """Print p50 and p99 per link, with and without a card."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500)
    n = ap.parse_args().n
    card = card_from_spec("张三,510823198001011234")
    print(f"{'link':5} {'card':5} | {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    with VirtualIdReader(port=0) as virtual:
        urls = {"tcp": virtual.url, "pty": f"serial://{virtual.start_pty()}?baudrate=115200"}
        for link, url in urls.items():
            with open_reader(url) as reader:
                for present in (False, True):
                    if present:
                        virtual.present(card)
                    else:
                        virtual.remove()
                    for _ in range(20):  # warm up
                        reader.read_card()
                    times = []
                    for _ in range(n):
                        t0 = time.perf_counter()
                        got = reader.read_card()
                        times.append((time.perf_counter() - t0) * 1000)
                        assert (got == card) if present else got is None
                    print(f"{link:5} {'yes' if present else 'no':5} | {statistics.median(times):8.3f} "
                          f"{pct(times, 0.99):8.3f} {max(times):8.3f}")
    print(f"wire time of one cycle with a card at 115200 baud: {wire_ms(115200):.0f} ms; "
          f"at 9600: {wire_ms(9600):.0f} ms")


if __name__ == "__main__":
    main()
