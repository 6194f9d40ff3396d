"""Time to render one receipt and deliver it to the virtual printer, per mode and width.

Run: .venv/bin/python benchmarks/bench_printer.py [--n 60]
"delivered" = render + TCP send returns (what the kiosk waits for);
"printed"   = until the virtual printer has decoded it and drawn the PNG in memory.
"""

from __future__ import annotations

import argparse
import statistics
import time

from printer.layout import render_receipt
from printer.receipt import sample_receipt
from printer.transport import TcpTransport, parse_printer_url
from printer.virtual import VirtualPrinter


def pct(values: list[float], q: float) -> float:
    """Return the q-quantile (nearest rank) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def main() -> None:
    """Print median and p99 per (mode, width)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    n = ap.parse_args().n
    receipt = sample_receipt()
    print(f"{'mode':8} {'width':>5} {'bytes':>7} | {'render+deliver ms':>19} | "
          f"{'…+decoded+drawn ms':>19}")
    print(f"{'':8} {'':>5} {'':>7} | {'median':>9} {'p99':>9} | {'median':>9} {'p99':>9}")
    with VirtualPrinter(port=0, out_dir=None, width_mm=80) as vp:
        for mode in ("gb18030", "raster"):
            for width in (58, 80):
                target = parse_printer_url(f"{vp.url}?width={width}&text={mode}")
                transport = TcpTransport(target.host, target.port, timeout=5)
                render_receipt(receipt, target.profile)  # warm font and glyph caches
                delivered: list[float] = []
                printed: list[float] = []
                size = 0
                for _ in range(n):
                    before = len(vp.receipts)
                    t0 = time.perf_counter()
                    data = render_receipt(receipt, target.profile)
                    transport.write(data)
                    t1 = time.perf_counter()
                    vp.wait_for(before + 1, timeout=30)
                    t2 = time.perf_counter()
                    delivered.append((t1 - t0) * 1000)
                    printed.append((t2 - t0) * 1000)
                    size = len(data)
                print(f"{mode:8} {width:>4}mm {size:>7} | "
                      f"{statistics.median(delivered):9.1f} {pct(delivered, 0.99):9.1f} | "
                      f"{statistics.median(printed):9.1f} {pct(printed, 0.99):9.1f}")


if __name__ == "__main__":
    main()
