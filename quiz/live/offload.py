"""Running a blocking call (a write, an fsync) off the event loop, in a real OS
thread, under whichever async mode this process runs."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def offloader() -> tuple[Callable[[Callable[[], T]], T], Callable[[float], None]]:
    """How this process runs a blocking call off its event loop, and a real sleep.

    Under eventlet or gevent (monkey-patched), the call runs in their pool of
    real OS threads and only the calling green thread waits; in threading mode
    the writer is a real thread already and calls directly."""
    if "eventlet" in sys.modules:
        from eventlet import patcher

        if patcher.is_monkey_patched("thread"):
            from eventlet import tpool

            sleep: Callable[[float], None] = patcher.original("time").sleep
            return tpool.execute, sleep
    if "gevent" in sys.modules:
        from gevent import monkey

        if monkey.is_module_patched("threading"):
            import gevent

            def in_pool(fn: Callable[[], T]) -> T:
                result: T = gevent.get_hub().threadpool.apply(fn)
                return result

            return in_pool, monkey.get_original("time", "sleep")
    return (lambda fn: fn()), time.sleep
