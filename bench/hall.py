"""A hall under test: one server, its clients spread over the worker processes, an MC.

The MC (or the baseline's trigger) is a client in the harness process: it
notes time.time() just before it sends each command, and the workers' clients
note when the matching view arrives, on the same machine clock.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import socketio

from bench.stats import latencies
from bench.swarm import CONNECT_TIMEOUT, Watch, Workers

COMMAND_TIMEOUT = 60.0
VIEW_TIMEOUT = 60.0  # the longest any client may take to receive a pushed view


class BenchError(RuntimeError):
    pass


class Mc:
    """A console client: the MC with its PIN, or the baseline's trigger."""

    def __init__(self, url: str, auth: dict[str, Any]) -> None:
        self.url = url
        self.auth = auth
        self.view: dict[str, Any] = {}
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("state", self._on_state)
        self.sio.on("ping", self._on_ping)

    async def _on_state(self, view: dict[str, Any]) -> None:
        if not self.view or view.get("v", 0) >= self.view.get("v", 0):
            self.view = view

    async def _on_ping(self, *_: Any) -> dict[str, int]:
        return {"c": int(time.time() * 1000)}

    async def connect(self) -> None:
        await self.sio.connect(
            self.url, auth=self.auth, transports=["websocket"], wait_timeout=CONNECT_TIMEOUT
        )

    async def send(self, event: str, payload: dict[str, Any]) -> float:
        """Send with an ack; the time just before sending. Raises unless acked ok."""
        sent = time.time()
        ack = await self.sio.call(event, payload, timeout=COMMAND_TIMEOUT)
        if not isinstance(ack, dict) or ack.get("ok") is not True:
            raise BenchError(f"{event} {payload} refused: {ack}")
        return sent

    async def command(self, name: str, **fields: Any) -> float:
        return await self.send("command", {"name": name, **fields})

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self.sio.disconnect(), 10)
        except Exception:
            pass


def split(items: list[Any], parts: int) -> list[list[Any]]:
    """Round-robin: item i goes to part i % parts (local index i // parts)."""
    return [items[p::parts] for p in range(parts)]


def team_auths(codes: dict[str, str], teams: list[str], count: int) -> list[dict[str, Any]]:
    """`count` tablets, spread over the teams in turn (several may join one team)."""
    return [{"role": "team", "code": codes[teams[i % len(teams)]]} for i in range(count)]


@dataclass
class Crowd:
    """One group of clients, the same name in every worker."""

    workers: Workers
    group: str

    async def connect(self, url: str, auths: list[dict[str, Any]]) -> float:
        """Connect them all (spread over the workers); the seconds it took."""
        started = time.time()
        parts = split(auths, len(self.workers))
        results = await self.workers.each(
            "connect",
            [{"group": self.group, "url": url, "auths": part} for part in parts],
            limit=CONNECT_TIMEOUT * 4,
        )
        connected = sum(r["connected"] for r in results)
        if connected != len(auths):
            errors = [e for r in results for e in r["errors"]]
            raise BenchError(f"{self.group}: {connected}/{len(auths)} connected: {errors[:3]}")
        return time.time() - started

    async def timed(
        self, watch: Watch, act: Callable[[], Awaitable[float]], timeout: float = VIEW_TIMEOUT
    ) -> tuple[list[float], int]:
        """Arm every client, act (returning the send time), then the latencies and misses."""
        await self.workers.all("arm", group=self.group, watch=watch)
        sent = await act()
        parts = await self.workers.all("collect", timeout, group=self.group, timeout=timeout)
        return latencies(sent, [t for part in parts for t in part])

    async def samples(self) -> dict[str, dict[str, Any]]:
        merged: dict[str, dict[str, Any]] = {}
        for part in await self.workers.all("samples", group=self.group):
            for role, view in part.items():
                merged.setdefault(role, view)
        return merged

    async def health(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for part in await self.workers.all("health", group=self.group):
            for key, value in part.items():
                total[key] = total.get(key, 0) + value
        return total

    async def close(self) -> None:
        await self.workers.all("close", 60, group=self.group)
