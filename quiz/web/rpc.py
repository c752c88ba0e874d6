"""Edges ask the authority over Redis: one request list, one reply list per edge.

With `quiz serve --workers N` (docs/scale.md) the edges hold the connections
and the authority decides. Views go out through Socket.IO's own message queue
(Flask-SocketIO `message_queue`, the same Redis); this module is only the way
back: an edge LPUSHes a request on `quiz:<contest>:rpc`, the authority BRPOPs
it, handles it and LPUSHes the reply on `quiz:<contest>:reply:<edge>`, which
the edge's reader BRPOPs and hands to the waiting handler. Redis does the
queueing; nothing here is a broker.

Every request carries a deadline (wall time): the authority drops one whose
deadline has passed (the edge has already answered it with an error ack), so
a command queued while the authority was down is never applied late. Every
reply carries the authority's contest clock (`now`) and its run id, from
which an edge keeps its own reading of that clock (`AuthorityClock`).
Connection errors are retried with a short back-off: Redis restarted, both
sides carry on.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis
import socketio

log = logging.getLogger(__name__)

CALL_TIMEOUT = 5.0  # seconds an edge waits for the authority's reply
RETRY = 0.2  # seconds between tries while Redis is unreachable
REPLY_TTL = 30  # seconds a reply list outlives its last reply
POLL = 1.0  # seconds a blocking read waits before looking again
POOL = 64  # Redis connections per client (connect)


class Unavailable(Exception):
    """The authority did not answer in time (down, restarting, or Redis is)."""


def prefix(contest_id: str) -> str:
    return f"quiz:{contest_id}:"


def channel(contest_id: str) -> str:
    """The Socket.IO message queue's channel: one per contest, so two contests
    may share one Redis."""
    return f"quiz:{contest_id}:socketio"


def connect(url: str) -> redis.Redis:
    """A client whose requests, beyond POOL at once, wait for a free connection
    instead of failing: redis-py's default pool refuses the 101st ("Too many
    connections"), and a burst of 1000 answers puts that many replies in
    flight at once."""
    pool = redis.BlockingConnectionPool.from_url(
        url,
        max_connections=POOL,
        timeout=CALL_TIMEOUT,
        socket_connect_timeout=2,
        health_check_interval=10,
    )
    return redis.Redis(connection_pool=pool)


class AuthorityClock:
    """An edge's reading of the authority's contest clock: its own monotonic
    clock plus the offset measured on the quickest recent round trip (as NTP
    does), reset when the authority restarts (its clock starts afresh)."""

    SAMPLES = 16

    def __init__(self, mono: Callable[[], float] = time.monotonic) -> None:
        self._mono = mono
        self._run = ""
        self._samples: deque[tuple[float, float]] = deque(maxlen=self.SAMPLES)
        self._offset: float | None = None

    def sample(self, run: str, sent: float, received: float, now: float) -> bool:
        """One reply: `now` read by the authority between `sent` and `received`
        (this process's monotonic clock). True when the authority is a new run."""
        fresh = run != self._run
        if fresh:
            self._run = run
            self._samples.clear()
        self._samples.append((received - sent, now - (sent + received) / 2))
        self._offset = min(self._samples)[1]
        return fresh

    @property
    def worst_trip(self) -> float:
        """The slowest recent request's round trip (s): how late a press may
        reach the authority after it reached this edge."""
        return max((trip for trip, _ in self._samples), default=0.0)

    @property
    def known(self) -> bool:
        return self._offset is not None

    def __call__(self) -> float:
        return self._mono() + (self._offset or 0.0)


class Caller:
    """An edge's side: `call(op, args)` waits for the authority's reply."""

    def __init__(
        self,
        url: str,
        contest_id: str,
        edge: str,
        sleep: Callable[[float], None],
        on_new_run: Callable[[], None] | None = None,
    ) -> None:
        self.edge = edge
        self._pre = prefix(contest_id)
        self._reply_key = f"{self._pre}reply:{edge}"
        self._send = connect(url)
        self._read = connect(url)
        self._sleep = sleep
        self._waiting: dict[str, tuple[threading.Event, list[Any]]] = {}
        self.clock = AuthorityClock()
        self.on_new_run = on_new_run
        self.on_recovered: Callable[[], None] | None = None

    def call(self, op: str, args: dict[str, Any], timeout: float = CALL_TIMEOUT) -> Any:
        rid = uuid.uuid4().hex
        done = threading.Event()
        box: list[Any] = []
        self._waiting[rid] = (done, box)
        sent = time.monotonic()
        request = {
            "id": rid,
            "edge": self.edge,
            "op": op,
            "args": args,
            "deadline": time.time() + timeout,
        }
        try:
            try:
                self._send.lpush(f"{self._pre}rpc", json.dumps(request, ensure_ascii=False))
            except redis.RedisError as exc:
                raise Unavailable(str(exc)) from exc
            if not done.wait(timeout):
                raise Unavailable(f"no reply to {op} within {timeout} s")
        finally:
            self._waiting.pop(rid, None)
        reply = box[0]
        if self.clock.sample(reply["run"], sent, time.monotonic(), reply["now"]):
            if self.on_new_run is not None:
                self.on_new_run()
        if "error" in reply:
            raise Unavailable(reply["error"])
        return reply["result"]

    def tell(self, op: str, args: dict[str, Any]) -> None:
        """A request whose reply nobody waits for (presence): dropped if Redis is down."""
        request: dict[str, Any] = {"id": "", "edge": self.edge, "op": op, "args": args}
        request["deadline"] = time.time() + CALL_TIMEOUT
        try:
            self._send.lpush(f"{self._pre}rpc", json.dumps(request, ensure_ascii=False))
        except redis.RedisError as exc:
            log.warning("cannot reach the queue: %s", exc)

    def read_replies(self) -> None:
        """The reader loop (a background task): hand each reply to its caller."""
        failing = False
        while True:
            try:
                item = self._read.brpop([self._reply_key], timeout=POLL)
            except redis.RedisError as exc:
                if not failing:
                    log.warning("lost the queue: %s", exc)
                failing = True
                self._sleep(RETRY)
                continue
            except Exception:
                log.exception("reply reader")
                self._sleep(RETRY)
                continue
            if failing:
                failing = False
                log.warning("queue reachable again")
                if self.on_recovered is not None:
                    self.on_recovered()
            if item is None:
                continue
            try:
                reply = json.loads(item[1])
                waiting = self._waiting.get(reply.get("id", ""))
            except (ValueError, AttributeError):
                continue
            if waiting is not None:
                waiting[1].append(reply)
                waiting[0].set()


class Answerer:
    """The authority's side: read requests, hand each to `handle` in a task of
    its own, send back its result."""

    def __init__(
        self,
        url: str,
        contest_id: str,
        handle: Callable[[str, str, dict[str, Any]], Any],
        clock: Callable[[], float],
        spawn: Callable[..., Any],
        sleep: Callable[[float], None],
    ) -> None:
        self._pre = prefix(contest_id)
        self._read = connect(url)
        self._send = connect(url)
        self._handle = handle
        self._clock = clock
        self._spawn = spawn
        self._sleep = sleep
        self.run_id = uuid.uuid4().hex[:12]
        self.on_recovered: Callable[[], None] | None = None

    def serve(self) -> None:
        """Forever: requests in, replies out. Survives Redis going away."""
        failing = False
        while True:
            try:
                item = self._read.brpop([f"{self._pre}rpc"], timeout=POLL)
            except redis.RedisError as exc:
                if not failing:
                    log.warning("lost the queue: %s", exc)
                failing = True
                self._sleep(RETRY)
                continue
            if failing:
                failing = False
                log.warning("queue reachable again")
                if self.on_recovered is not None:
                    self._spawn(self.on_recovered)
            if item is None:
                continue
            try:
                request = json.loads(item[1])
                if not isinstance(request, dict) or not isinstance(request.get("args"), dict):
                    raise ValueError("not a request")
            except ValueError:
                log.warning("dropped a malformed request")
                continue
            if float(request.get("deadline") or 0) < time.time():
                continue  # its edge has already answered with an error ack
            self._spawn(self._one, request)

    def _one(self, request: dict[str, Any]) -> None:
        reply: dict[str, Any] = {"id": request.get("id", "")}
        try:
            reply["result"] = self._handle(
                str(request.get("op")), str(request.get("edge")), request["args"]
            )
        except Exception as exc:
            log.exception("request %s failed", request.get("op"))
            reply["error"] = f"{type(exc).__name__}: {exc}"
        if not reply["id"]:
            return  # nobody waits
        reply["now"] = self._clock()
        reply["run"] = self.run_id
        key = f"{self._pre}reply:{request.get('edge')}"
        for _ in range(3):
            try:
                pipe = self._send.pipeline()
                pipe.lpush(key, json.dumps(reply, ensure_ascii=False))
                pipe.expire(key, REPLY_TTL)
                pipe.execute()
                return
            except redis.RedisError as exc:
                log.warning("cannot reply: %s", exc)
                self._sleep(RETRY)


class BatchingRedisManager(socketio.RedisManager):  # type: ignore[misc]
    """python-socketio's Redis manager, whose publishes inside `batch()` go to
    Redis in one pipeline: a push is one emit per room (the board, the MC and
    each team), and one round trip for them all, instead of one each, is what
    keeps the authority's push short. The messages, and the channel the edges'
    own managers listen on, are the library's, unchanged."""

    connected: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._batch: list[str] | None = None

    @contextmanager
    def batch(self) -> Iterator[None]:
        if self._batch is not None:  # already batching: the outer one sends
            yield
            return
        self._batch = []
        try:
            yield
        finally:
            pending, self._batch = self._batch, None
            if pending:
                self._send_all(pending)

    def _publish(self, data: Any) -> Any:
        if self._batch is not None:
            self._batch.append(self.json.dumps(data))
            return None
        return super()._publish(data)

    def _send_all(self, messages: list[str]) -> None:
        for attempt in range(2):
            try:
                if not self.connected:
                    self._redis_connect()
                pipe = self.redis.pipeline(transaction=False)
                for message in messages:
                    pipe.publish(self.channel, message)
                pipe.execute()
                return
            except Exception as exc:
                self.connected = False
                log.error(
                    "cannot publish to Redis%s: %s", " (retrying)" if not attempt else "", exc
                )
