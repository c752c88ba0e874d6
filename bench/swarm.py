"""Many real Socket.IO clients on one asyncio loop, and the worker processes that run them.

A `Swarm` holds groups of `socketio.AsyncClient`s (websocket transport only),
each connected with an `auth` like a real screen, answering the server's
`ping` through its ack as the real screens do. A group can be *armed* with a
`Watch`: every client then records the time (time.time()) it first receives a
`state` view that matches, which is all the push and buzz figures need.

`worker_main` runs a Swarm in a separate process and executes the commands the
harness sends over a pipe, one at a time; `Workers` is the harness's side.
Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import random
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import socketio

CONNECT_TIMEOUT = 60.0
CONNECT_CONCURRENCY = 16
REPLY_MARGIN = 60.0  # seconds a worker may take beyond a command's own timeout
CHOICES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Watch:
    """Which `state` view to time: every given field must match."""

    phase: str | None = None
    question: str | None = None
    winner: bool = False  # the buzz has a winner (or the phase is `answering`)
    bseq: int | None = None  # the baseline's broadcast number

    def matches(self, view: dict[str, Any]) -> bool:
        if self.bseq is not None:
            return view.get("bseq") == self.bseq
        if self.phase is not None and view.get("phase") != self.phase:
            return False
        question = view.get("question") or {}
        if self.question is not None and question.get("id") != self.question:
            return False
        if self.winner:
            buzz = view.get("buzz") or {}
            return bool(buzz.get("winner")) or view.get("phase") == "answering"
        return True


@dataclass
class Client:
    index: int
    role: str
    sio: socketio.AsyncClient
    keep_views: bool = False
    armed: bool = False
    matched: float | None = None
    last_view: dict[str, Any] | None = None
    views: int = 0
    disconnects: int = 0


@dataclass
class Group:
    clients: list[Client] = field(default_factory=list)
    watch: Watch | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)
    pending: int = 0


def _ms() -> int:
    return int(time.time() * 1000)


class Swarm:
    """Groups of clients on this process's loop; every public coroutine is a command."""

    def __init__(self, worker: int = 0) -> None:
        self.worker = worker
        self.groups: dict[str, Group] = {}

    # connecting ---------------------------------------------------------------------

    def _client(self, group: Group, index: int, auth: dict[str, Any], keep: bool) -> Client:
        sio = socketio.AsyncClient(reconnection=False)
        client = Client(index, str(auth.get("role")), sio, keep_views=keep)

        async def on_state(view: dict[str, Any]) -> None:
            now = time.time()
            client.views += 1
            if client.keep_views:
                client.last_view = view
            watch = group.watch
            if (
                watch is not None
                and client.armed
                and client.matched is None
                and watch.matches(view)
            ):
                client.matched = now
                group.pending -= 1
                if group.pending <= 0:
                    group.done.set()

        async def on_ping(*_: Any) -> dict[str, int]:
            return {"c": _ms()}

        async def on_disconnect(*_: Any) -> None:
            client.disconnects += 1

        sio.on("state", on_state)
        sio.on("ping", on_ping)
        sio.on("disconnect", on_disconnect)
        return client

    async def connect(self, group: str, url: str, auths: list[dict[str, Any]]) -> dict[str, Any]:
        """Connect one client per auth; the first of each role keeps its last view."""
        g = self.groups.setdefault(group, Group())
        seen: set[str] = set()
        clients: list[Client] = []
        for auth in auths:
            role = str(auth.get("role"))
            clients.append(self._client(g, len(g.clients) + len(clients), auth, role not in seen))
            seen.add(role)
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        errors: list[str] = []
        started = time.time()

        async def one(client: Client, auth: dict[str, Any]) -> None:
            async with gate:
                try:
                    await client.sio.connect(
                        url, auth=auth, transports=["websocket"], wait_timeout=CONNECT_TIMEOUT
                    )
                except Exception as exc:  # reported, not raised: the harness decides
                    errors.append(f"{type(exc).__name__}: {exc}")

        await asyncio.gather(*(one(c, a) for c, a in zip(clients, auths, strict=True)))
        g.clients.extend(clients)
        return {
            "connected": len(auths) - len(errors),
            "errors": errors[:5],
            "seconds": time.time() - started,
        }

    async def close(self, group: str) -> int:
        g = self.groups.pop(group, None)
        if g is None:
            return 0

        async def one(client: Client) -> None:
            try:
                await asyncio.wait_for(client.sio.disconnect(), 10)
            except Exception:
                pass

        await asyncio.gather(*(one(c) for c in g.clients))
        return len(g.clients)

    # timing views ---------------------------------------------------------------------

    async def arm(self, group: str, watch: Watch, indices: list[int] | None = None) -> int:
        """Start timing the first view matching `watch` (on the given clients, or all)."""
        g = self.groups[group]
        chosen = set(indices) if indices is not None else None
        for client in g.clients:
            client.armed = chosen is None or client.index in chosen
            client.matched = None
        g.pending = sum(1 for c in g.clients if c.armed)
        g.done = asyncio.Event()
        if g.pending == 0:
            g.done.set()
        g.watch = watch
        return g.pending

    async def collect(self, group: str, timeout: float) -> list[float | None]:
        """The armed clients' match times (None: none arrived within `timeout`)."""
        g = self.groups[group]
        try:
            await asyncio.wait_for(g.done.wait(), timeout)
        except TimeoutError:
            pass
        g.watch = None
        return [c.matched for c in g.clients if c.armed]

    async def samples(self, group: str) -> dict[str, dict[str, Any]]:
        """The latest view of the first client of each role."""
        g = self.groups[group]
        return {c.role: c.last_view for c in g.clients if c.keep_views and c.last_view}

    async def health(self, group: str) -> dict[str, int]:
        g = self.groups.get(group)
        clients = g.clients if g else []
        return {
            "clients": len(clients),
            "connected": sum(1 for c in clients if c.sio.connected),
            "disconnects": sum(c.disconnects for c in clients),
            "views": sum(c.views for c in clients),
        }

    # acting -------------------------------------------------------------------------

    async def call(
        self, group: str, index: int, event: str, payload: Any, timeout: float
    ) -> dict[str, Any]:
        """One client sends `event` with an ack; the send and ack times."""
        client = self.groups[group].clients[index]
        t0 = time.time()
        try:
            ack = await client.sio.call(event, payload, timeout=timeout)
        except Exception as exc:
            return {"t0": t0, "t1": None, "ack": None, "error": type(exc).__name__}
        return {"t0": t0, "t1": time.time(), "ack": ack, "error": None}

    async def answer(
        self,
        group: str,
        question: str,
        start_at: float,
        spread: float,
        tag: str,
        timeout: float,
        role: str = "team",
    ) -> list[dict[str, Any]]:
        """Every tablet (or player's phone, `role`) of the group answers once, at a
        random moment in [start, start+spread)."""
        g = self.groups[group]
        rng = random.Random(f"{tag}-{self.worker}")
        tablets = [c for c in g.clients if c.role == role]

        async def one(client: Client) -> dict[str, Any]:
            await asyncio.sleep(max(0.0, start_at + rng.random() * spread - time.time()))
            payload = {
                "question": question,
                "value": rng.choice(CHOICES),
                "id": f"{tag}-{self.worker}-{client.index}",
            }
            result = await self.call(group, client.index, "answer", payload, timeout)
            ack = result.pop("ack") or {}
            result["ok"] = ack.get("ok") is True and ack.get("received") is True
            result["error"] = result["error"] or ack.get("error")
            return result

        return list(await asyncio.gather(*(one(c) for c in tablets)))


Command = tuple[str, dict[str, Any]]


async def _serve(conn: Connection, worker: int) -> None:
    swarm = Swarm(worker)
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(1) as pool:
        while True:
            name, kwargs = await loop.run_in_executor(pool, conn.recv)
            if name == "quit":
                for group in list(swarm.groups):
                    await swarm.close(group)
                conn.send(("ok", None))
                return
            try:
                method: Callable[..., Awaitable[Any]] = getattr(swarm, name)
                conn.send(("ok", await method(**kwargs)))
            except Exception as exc:
                conn.send(("error", f"{type(exc).__name__}: {exc}"))


def worker_main(conn: Connection, worker: int) -> None:
    """A client process: runs the commands it receives until told to quit."""
    # A dropped connection is counted (Client.disconnects), not logged per client.
    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
    asyncio.run(_serve(conn, worker))


class WorkerError(RuntimeError):
    pass


class Workers:
    """The harness's handle on the client processes (started before any event loop)."""

    def __init__(self, count: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.procs: list[Any] = []
        for worker in range(count):
            ours, theirs = ctx.Pipe()
            proc = ctx.Process(target=worker_main, args=(theirs, worker), daemon=True)
            proc.start()
            self.pipes.append(ours)
            self.procs.append(proc)
        self.pool = ThreadPoolExecutor(max(2, count))

    def __len__(self) -> int:
        return len(self.pipes)

    def _roundtrip(self, worker: int, name: str, kwargs: dict[str, Any], timeout: float) -> Any:
        pipe = self.pipes[worker]
        pipe.send((name, kwargs))
        if not pipe.poll(timeout):
            raise WorkerError(f"worker {worker}: no reply to {name} within {timeout:.0f} s")
        status, value = pipe.recv()
        if status != "ok":
            raise WorkerError(f"worker {worker}: {name}: {value}")
        return value

    async def one(self, worker: int, name: str, limit: float = 30.0, **kwargs: Any) -> Any:
        """Run command `name` on one worker; `limit` bounds its own waits (seconds)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self.pool, self._roundtrip, worker, name, kwargs, limit + REPLY_MARGIN
        )

    async def each(
        self, name: str, per_worker: list[dict[str, Any]], limit: float = 30.0
    ) -> list[Any]:
        """Run `name` on every worker at once, each with its own arguments."""
        return list(
            await asyncio.gather(
                *(self.one(w, name, limit, **kw) for w, kw in enumerate(per_worker))
            )
        )

    async def all(self, name: str, limit: float = 30.0, **kwargs: Any) -> list[Any]:
        """Run `name` with the same arguments on every worker."""
        return await self.each(name, [kwargs] * len(self), limit)

    def stop(self) -> None:
        for worker, pipe in enumerate(self.pipes):
            try:
                pipe.send(("quit", {}))
                if pipe.poll(15):
                    pipe.recv()
            except (OSError, EOFError):
                pass
            self.procs[worker].join(5)
            if self.procs[worker].is_alive():
                self.procs[worker].kill()
                self.procs[worker].join(5)
        self.pool.shutdown(wait=False)
