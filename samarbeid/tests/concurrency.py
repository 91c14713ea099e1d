"""Race tests on both databases.

On PostgreSQL every thread has its own connection to the test database, and a transactional
test (`django_db(transaction=True)`) sees what they commit. SQLite's test database lives in
memory, where threads cannot write at the same time as real clients of a file do; inside
`concurrent_database()` the default connection of every thread (the test's own too) goes to
a file copy of it instead, opened with the settings' OPTIONS (immediate transactions, busy
timeout, WAL), so the test races as production's SQLite does. What the test wrote before
the block is in the copy; what the threads write stays in it (check it inside the block).
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, connections


@contextmanager
def concurrent_database() -> Iterator[None]:
    """Inside: a database that threads can write to at once (see the module)."""
    if connection.vendor != "sqlite":
        yield
        return
    assert not connection.in_atomic_block, "a race test must be transactional"
    memory = connections["default"]
    memory.ensure_connection()
    with tempfile.TemporaryDirectory(prefix="samarbeid-race-") as folder:
        path = Path(folder) / "race.sqlite3"
        copy = sqlite3.connect(path)
        memory.connection.backup(copy)
        copy.close()
        original = connections.settings["default"]
        connections.settings["default"] = {**original, "NAME": str(path)}
        on_file = connections.create_connection("default")
        connections["default"] = on_file
        try:
            yield
        finally:
            on_file.close()
            connections.settings["default"] = original
            connections["default"] = memory


def together(act: Callable[[int], str], clients: int) -> list[str]:
    """`act(n)` run by `clients` threads started at once, each on its own connection:
    what each returned (or the repr of what it raised, so the test shows it), sorted."""
    results: list[str] = []
    start = threading.Barrier(clients, timeout=10)

    def run(number: int) -> None:
        try:
            start.wait()
            results.append(act(number))
        except Exception as exc:
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(results)
