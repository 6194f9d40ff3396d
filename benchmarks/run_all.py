"""Run every benchmark, one after another, and print their figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["bench_server.py", "bench_printer.py", "bench_display.py", "bench_kiosk.py",
         "bench_stats.py", "bench_cases.py", "bench_hardening.py", "bench_sms.py"]


def main() -> int:
    """Run each benchmark script in its own process."""
    failed = 0
    for name in ORDER:
        print(f"\n=== {name} ===", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / name)]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
