"""One server per contest: an exclusive flock on the contest's data folder.

The lock is taken on the folder itself (opened read-only), so taking it writes
nothing; it is held for as long as this process keeps the folder open and is
released by the kernel when the process dies, however it dies. Holding is per
process and idempotent: `quiz serve` takes it before it touches anything in
the folder, and the service takes it again (a no-op) when built by tests.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

_held: dict[Path, int] = {}


class FolderLocked(Exception):
    """Another process holds this contest's data folder."""


def hold(folder: Path) -> None:
    """Lock `folder` (created if missing) for this process, or raise FolderLocked."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder.resolve()
    if key in _held:
        return
    fd = os.open(key, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise FolderLocked(
            f"{folder}: another `quiz serve` is already running this contest "
            "(its data folder is locked); stop it first. Nothing was written."
        ) from None
    _held[key] = fd


def release(folder: Path) -> None:
    fd = _held.pop(folder.resolve(), None)
    if fd is not None:
        os.close(fd)
