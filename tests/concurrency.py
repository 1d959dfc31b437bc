"""Two requests at once, on a database where they really wait for each other.

PostgreSQL's test database already is such a place. SQLite's test database lives in
memory with a shared cache, where a second writer fails at once ("table is locked")
instead of waiting on the busy timeout as it does on the file database the site uses; so
on SQLite a test gets a migrated file database of its own (WAL, IMMEDIATE transactions,
as configured in settings) that every thread, this one included, talks to.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connection, connections


class ConcurrentDatabase:
    def __init__(self, path=None):
        self.path = path
        self.opened = []

    def use(self) -> None:
        """Point this thread's default connection at the shared file database."""
        if self.path is None:
            return
        wrapper = connections["default"].__class__(
            {**connections["default"].settings_dict, "NAME": str(self.path)}, "default"
        )
        if threading.current_thread() is threading.main_thread():
            self.opened.append(wrapper)  # the others are closed by the thread that made them
        connections["default"] = wrapper


@pytest.fixture
def concurrent_db(tmp_path, django_db_blocker):
    """Use with ``@pytest.mark.django_db(transaction=True)``: nothing may sit in a
    transaction that the other threads cannot see through."""
    if connection.vendor != "sqlite":
        yield ConcurrentDatabase()
        return
    with django_db_blocker.unblock():
        in_memory = connections["default"]
        database = ConcurrentDatabase(tmp_path / "concurrent.sqlite3")
        database.use()
        try:
            call_command("migrate", verbosity=0)
            call_command("createcachetable", verbosity=0)
            yield database
        finally:
            for wrapper in database.opened:
                wrapper.close()
            connections["default"] = in_memory


def race(send: Callable[[], object], *, owner, attribute: str, monkeypatch, database) -> list:
    """Run send() in two threads that have both passed every check the view makes before
    ``owner.attribute`` (the write) is called: each waits for the other there."""
    barrier = threading.Barrier(2, timeout=10)
    original = getattr(owner, attribute)

    def wait_then(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, attribute, wait_then)
    results: list = [None, None]
    errors: list = []

    def run(i: int) -> None:
        database.use()
        try:
            results[i] = send()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, [repr(e) for e in errors]
    return results
