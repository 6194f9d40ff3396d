"""The ID card reader thread: poll the reader, post each newly placed card to the app."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)


class CardLike(Protocol):
    """What the kiosk takes from a card (idreader.reader.Card): the name and the number."""

    name: str
    id_number: str


class NewCards:
    """Tell a new card from the same card still lying on the reader (pure)."""

    def __init__(self) -> None:
        self.present: str | None = None

    def seen(self, card: CardLike | None) -> bool:
        """Record one poll; return True when a card was just placed (or swapped)."""
        if card is None:
            self.present = None
            return False
        if card.id_number == self.present:
            return False
        self.present = card.id_number
        return True


def default_opener(url: str) -> Any:
    """Open the reader with the idreader driver."""
    from idreader.reader import open_reader

    return open_reader(url)


class CardWatcher(threading.Thread):
    """Poll read_card() every interval seconds; reopen the reader after a fault."""

    def __init__(self, url: str, on_card: Callable[[CardLike], None], *, interval: float = 0.3,
                 retry: float = 3.0, opener: Callable[[str], Any] = default_opener) -> None:
        super().__init__(name="kiosk-id-reader", daemon=True)
        self.url = url
        self.on_card = on_card
        self.interval = interval
        self.retry = retry
        self.opener = opener
        self.cards = NewCards()
        self.faults = 0
        self._stop_event = threading.Event()

    def stop(self) -> None:
        """Ask the thread to finish."""
        self._stop_event.set()

    def run(self) -> None:
        """Open the reader and poll it until stopped."""
        while not self._stop_event.is_set():
            try:
                reader = self.opener(self.url)
            except ImportError:
                log.error("身份证阅读器驱动 idreader 未安装，读卡已停用 (the idreader package is "
                          "missing; KIOSK_ID_READER=%s is ignored)", self.url)
                return
            except Exception as exc:  # the device may be unplugged: try again later
                self.faults += 1
                log.warning("身份证阅读器打不开 (cannot open the ID reader %s): %r", self.url, exc)
                self._stop_event.wait(self.retry)
                continue
            try:
                self._poll(reader)
            finally:
                reader.close()

    def _poll(self, reader: Any) -> None:
        while not self._stop_event.is_set():
            try:
                card = reader.read_card()
            except Exception as exc:  # ReaderError or a lost link: reopen
                self.faults += 1
                log.warning("身份证阅读器故障 (ID reader fault): %r", exc)
                self.cards.present = None
                self._stop_event.wait(self.retry)
                return
            if self.cards.seen(card):
                assert card is not None
                self.on_card(card)
            self._stop_event.wait(self.interval)
