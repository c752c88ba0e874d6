"""An edge asks the authority for connecting screens' views together
(quiz/web/view_batch.py), and the authority builds a crowd's views at one
instant, one per distinct screen (Hub.views_for)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import write_contest

from quiz.web import App, Config, create_app
from quiz.web.hub import Conn
from quiz.web.rpc import Unavailable
from quiz.web.view_batch import Key, ViewBatch


class FakeCaller:
    """The authority over Redis: each `views` request takes `delay` seconds."""

    def __init__(self, delay: float = 0.02, fail: bool = False) -> None:
        self.delay = delay
        self.fail = fail
        self.requests: list[list[list[Any]]] = []
        self.lock = threading.Lock()

    def call(self, op: str, args: dict[str, Any], timeout: float = 5.0) -> Any:
        assert op == "views"
        with self.lock:
            self.requests.append(args["keys"])
        time.sleep(self.delay)
        if self.fail:
            raise Unavailable("no reply")
        return [
            {"role": role, "team": team, "built": time.monotonic()}
            for role, team, _ in args["keys"]
        ]


def spawn(fn: Any, *args: Any) -> None:
    threading.Thread(target=fn, args=args, daemon=True).start()


def crowd(batch: ViewBatch, keys: list[Key]) -> list[Any]:
    out: list[Any] = [None] * len(keys)

    def one(i: int) -> None:
        try:
            out[i] = batch.get(keys[i])
        except Unavailable as exc:
            out[i] = exc

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(keys))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    return out


def test_a_crowd_of_connecting_screens_costs_a_few_requests_each_asking_a_screen_once() -> None:
    caller = FakeCaller()
    batch = ViewBatch(caller, spawn, time.sleep)  # type: ignore[arg-type]
    keys: list[Key] = [("board", None, None)] * 300 + [
        ("team", f"t{i % 17}", None) for i in range(100)
    ]
    views = crowd(batch, keys)
    assert all(isinstance(v, dict) for v in views)
    assert [(v["role"], v["team"]) for v in views] == [(k[0], k[1]) for k in keys]
    # One request at a time, so 400 connects are a handful of requests, not 400.
    assert 1 <= len(caller.requests) <= 10
    for request in caller.requests:  # each distinct screen asked once per request
        assert len(request) == len({tuple(k) for k in request})
    assert len({tuple(k) for r in caller.requests for k in r}) == 18
    # Each screen got a copy: changing one changes no other.
    views[0]["mine"] = True
    assert "mine" not in views[1]


def test_an_authority_not_answering_tells_every_waiting_screen_and_the_next_try_asks_again() -> (
    None
):
    caller = FakeCaller(fail=True)
    batch = ViewBatch(caller, spawn, time.sleep)  # type: ignore[arg-type]
    views = crowd(batch, [("board", None, None)] * 20 + [("team", "a", None)] * 5)
    assert all(isinstance(v, Unavailable) for v in views)
    caller.fail = False
    assert batch.get(("team", "a", None))["team"] == "a"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    built = create_app(Config(write_contest(tmp_path), tmp_path / "data", async_mode="threading"))
    built.hub._started = True  # no ticker or pinger threads
    yield built
    built.service.close()


def test_the_authority_builds_a_crowds_views_as_each_would_get_alone(app: App) -> None:
    teams = [t.id for t in app.service.contest.teams]
    conns = [Conn("board")] * 3 + [Conn("team", t) for t in teams] + [Conn("mc"), Conn("board")]
    together = app.hub.views_for(conns)
    alone = [app.hub.view_for(c) for c in conns]
    strip = lambda v: {k: x for k, x in v.items() if k != "now"}  # noqa: E731
    assert [strip(v) for v in together] == [strip(v) for v in alone]
    assert together[0] is together[1] is together[-1]  # one board view for every board
    assert [v["role"] for v in together[3:-2]] == ["team"] * len(teams)
