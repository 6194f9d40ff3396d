"""Group commit on SQLite: requests that arrive together share one transaction and one settle."""

from __future__ import annotations

import asyncio
from pathlib import Path

from queue_server.uow import Database
from tests.support.inprocess import database


class Settler:
    """Count how often a batch is settled."""

    def __init__(self) -> None:
        self.calls = 0

    def settle(self) -> None:
        """Note one settle."""
        self.calls += 1


def test_a_batch_is_settled_once_however_many_requests_it_holds(tmp_path: Path) -> None:
    with database(tmp_path) as plain:
        db = Database(plain.engine, plain.hall, group_commit=True)
        settler = Settler()

        async def forty_at_once() -> list[tuple[None, int]]:
            # Each request passes its own bound method of the one settler, as issuers do.
            return await asyncio.gather(*(db.write_then(lambda uow: None, lambda _v, _e: 1,
                                                        settle=settler.settle) for _ in range(40)))

        try:
            answers = asyncio.run(forty_at_once())
        finally:
            db.close()
        assert db.group is not None and db.group.units == 40
        assert answers == [(None, 1)] * 40
        assert settler.calls == db.group.batches < 40
