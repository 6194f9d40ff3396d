"""Second-generation ID-card (二代身份证) readers: the SAM frame protocol, a driver, a virtual reader."""

from idreader.card import Card
from idreader.reader import Reader, ReaderError, open_reader

__all__ = ["Card", "Reader", "ReaderError", "open_reader"]
