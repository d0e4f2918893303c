"""One run at a time per store: an flock on `<store>.lock`, released by the kernel even on kill -9."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class StoreLocked(Exception):
    """Another process holds the store's run lock."""


@contextmanager
def run_lock(db_path: str | Path) -> Iterator[None]:
    """Hold the store's run lock for the block; raises StoreLocked at once when another run holds it."""
    lock_path = Path(f"{db_path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreLocked(f"another run holds {db_path} (lock {lock_path})") from exc
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)
