"""Printer URL parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from printer.errors import PrinterConfigError
from printer.profile import PrinterProfile
from printer.transport import (
    FileTransport,
    MemoryTransport,
    SerialTransport,
    TcpTransport,
    UsbTransport,
    open_transport,
    parse_printer_url,
)


def test_tcp_url_with_query_sets_host_port_and_profile() -> None:
    t = parse_printer_url("tcp://192.168.1.50:9101?width=58&text=raster&qr=image")
    assert (t.scheme, t.host, t.port) == ("tcp", "192.168.1.50", 9101)
    assert t.profile == PrinterProfile(width_mm=58, text="raster", qr="image")
    assert t.profile.dots == 384


def test_tcp_port_defaults_to_9100_and_profile_to_the_defaults() -> None:
    defaults = PrinterProfile(width_mm=58, text="raster")
    t = parse_printer_url("tcp://printer.local", defaults)
    assert t.port == 9100
    assert t.profile == defaults


def test_usb_url_reads_hex_ids() -> None:
    t = parse_printer_url("usb://0416:5011?width=80")
    assert (t.scheme, t.vendor_id, t.product_id) == ("usb", 0x0416, 0x5011)
    assert isinstance(open_transport(t), UsbTransport)


def test_serial_url_reads_device_and_baudrate() -> None:
    t = parse_printer_url("serial:///dev/ttyUSB0?baudrate=19200&width=58")
    assert (t.scheme, t.path, t.baudrate) == ("serial", "/dev/ttyUSB0", 19200)
    assert t.profile.width_mm == 58
    assert isinstance(open_transport(t), SerialTransport)


def test_file_and_memory_urls() -> None:
    f = parse_printer_url("file:///dev/usb/lp0?text=gb18030")
    assert (f.scheme, f.path) == ("file", "/dev/usb/lp0")
    assert isinstance(open_transport(f), FileTransport)
    m = parse_printer_url("memory://")
    assert isinstance(open_transport(m), MemoryTransport)
    assert isinstance(open_transport(parse_printer_url("tcp://h:1")), TcpTransport)


def test_font_option_sets_the_raster_font() -> None:
    t = parse_printer_url("tcp://h:9100?text=raster&font=/opt/fonts/x.ttf")
    assert t.profile.font_path == Path("/opt/fonts/x.ttf")


@pytest.mark.parametrize(
    "url",
    [
        "lpt://x",
        "tcp://:9100",
        "tcp://h:notaport",
        "usb://0416",
        "usb://zz:11",
        "serial://",
        "tcp://h?width=60",
        "tcp://h?width=wide",
        "tcp://h?text=utf8",
        "tcp://h?qr=svg",
        "tcp://h?colour=red",
    ],
)
def test_bad_urls_raise_a_config_error(url: str) -> None:
    with pytest.raises(PrinterConfigError):
        parse_printer_url(url)
