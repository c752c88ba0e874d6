"""An edge's connecting screens get their first views from the authority together.

A thousand phones or boards connecting at once used to mean a thousand
`view` requests, each built and sent by the authority in turn; the last ones
waited past CALL_TIMEOUT and those connects were refused (`unavailable`).
Here an edge keeps at most one `views` request in flight: the screens that
connect while it is out wait for the next one, which asks for every distinct
screen among them once (all the boards share one view), and the authority
builds them at one instant under one lock (Hub.views_for). Each view is the
authority's current one, never a cached copy, so a screen never starts from
an older state than the room it joins.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from quiz.web.rpc import CALL_TIMEOUT, Caller, Unavailable

Key = tuple[str, str | None, str | None]  # role, team (or player number), judge
GATHER = 0.005  # seconds a new batch waits for the screens connecting with it
MAX_KEYS = 500  # distinct screens asked for in one request


class ViewBatch:
    def __init__(
        self,
        caller: Caller,
        spawn: Callable[..., Any],
        sleep: Callable[[float], None],
    ) -> None:
        self._caller = caller
        self._spawn = spawn
        self._sleep = sleep
        self._lock = threading.Lock()
        self._pending: dict[Key, list[tuple[threading.Event, list[Any]]]] = {}
        self._running = False
        self.requests = 0  # `views` requests sent (for the tests)

    def get(self, key: Key) -> dict[str, Any]:
        """The authority's current view for `key`; Unavailable when it does not
        answer in time."""
        done = threading.Event()
        box: list[Any] = []
        with self._lock:
            self._pending.setdefault(key, []).append((done, box))
            start = not self._running
            self._running = True
        if start:
            self._spawn(self._run)
        # At most the request before this one, then this one.
        if not done.wait(2 * CALL_TIMEOUT + 1.0):
            raise Unavailable("no view within the time of two requests")
        result = box[0]
        if isinstance(result, Exception):
            raise result
        return dict(result)

    def _run(self) -> None:
        while True:
            self._sleep(GATHER)
            with self._lock:
                keys = list(self._pending)[:MAX_KEYS]
                batch = {k: self._pending.pop(k) for k in keys}
                if not batch:
                    self._running = False
                    return
            results = self._ask(keys)
            for key, waiters in batch.items():
                for done, box in waiters:
                    box.append(results[key])
                    done.set()

    def _ask(self, keys: list[Key]) -> dict[Key, Any]:
        self.requests += 1
        try:
            got = self._caller.call("views", {"keys": [list(k) for k in keys]})
            if not isinstance(got, list) or len(got) != len(keys):
                raise Unavailable("the authority's reply does not match the request")
        except Unavailable as exc:
            return {k: exc for k in keys}
        except Exception as exc:  # never leave a connecting screen waiting
            return {k: Unavailable(f"{type(exc).__name__}: {exc}") for k in keys}
        return dict(zip(keys, got, strict=True))
