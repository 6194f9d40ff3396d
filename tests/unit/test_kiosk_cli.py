"""`hall kiosk` on an install without the [kiosk] extra says which extra to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Run `hall kiosk` with Kivy made unimportable, as on a server-only install.
WITHOUT_KIVY = """
import importlib.abc, sys
class NoKivy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "kivy" or name.startswith("kivy."):
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, NoKivy())
from queue_server.cli import main
raise SystemExit(main(["kiosk", "--server", "http://127.0.0.1:1"]))
"""


def test_without_kivy_hall_kiosk_names_the_extra_in_one_line() -> None:
    done = subprocess.run([sys.executable, "-c", WITHOUT_KIVY], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"})
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'hall-queue[kiosk]'" in lines[0], done.stderr


def test_the_id_reader_option_reaches_the_settings() -> None:
    import argparse

    from kiosk.cli import add_arguments, settings_from_args

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--id-reader", "tcp://127.0.0.1:9300"])
    assert settings_from_args(args).id_reader == "tcp://127.0.0.1:9300"
