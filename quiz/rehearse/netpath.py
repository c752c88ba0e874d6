"""Simulated network trouble for a rehearsal: one loopback TCP proxy per team.

Each `Path` listens on 127.0.0.1 and forwards every connection to the server,
holding each chunk of bytes for a one-way delay drawn per chunk (uniform in
[low, high] seconds, never overtaking the chunk before it, as on a real TCP
path), and can cut every connection through it at once (`drop`, as a Wi-Fi
drop would). All paths share one asyncio loop in one daemon thread; `close()`
aborts everything. Bounded: every wait has a timeout.
"""

from __future__ import annotations

import asyncio
import random
import socket
import threading
import time
from typing import Any

CHUNK = 65536
TIMEOUT = 5.0


class Path:
    def __init__(self, net: Net, target: tuple[str, int], low: float, high: float, seed: int):
        self.net = net
        self.target = target
        self.low, self.high = low, high
        self.rng = random.Random(seed)
        self.port = 0
        self.connections = 0
        self.drops = 0
        self._server: Any = None
        self._writers: list[asyncio.StreamWriter] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def _delay(self) -> float:
        return self.rng.uniform(self.low, self.high) if self.high > 0 else 0.0

    async def _accept(self, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        try:
            s_reader, s_writer = await asyncio.wait_for(
                asyncio.open_connection(*self.target), timeout=TIMEOUT
            )
        except (TimeoutError, OSError):
            c_writer.close()
            return
        for w in (c_writer, s_writer):
            sock = w.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._writers += [c_writer, s_writer]
        await asyncio.gather(
            self._pipe(c_reader, s_writer), self._pipe(s_reader, c_writer), return_exceptions=True
        )
        for w in (c_writer, s_writer):
            w.close()
            if w in self._writers:
                self._writers.remove(w)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        queue: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()

        async def release() -> None:
            while (item := await queue.get()) is not None:
                due, data = item
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                try:
                    await writer.drain()
                except OSError:
                    return
            try:
                writer.write_eof()
            except (OSError, RuntimeError):
                pass

        releaser = asyncio.get_running_loop().create_task(release())
        last = 0.0
        try:
            while data := await reader.read(CHUNK):
                last = max(last, time.monotonic() + self._delay())
                queue.put_nowait((last, data))
        except OSError:
            pass
        finally:
            queue.put_nowait(None)
            await releaser

    def drop(self) -> None:
        """Cut every connection through this path now."""
        self.drops += 1

        async def abort() -> None:
            for w in list(self._writers):
                w.transport.abort()

        self.net.run(abort())

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for w in list(self._writers):
            w.transport.abort()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=TIMEOUT)
        if self._server is not None:
            await self._server.wait_closed()


class Net:
    """The paths of one rehearsal, on one event loop in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.paths: list[Path] = []
        self._thread = threading.Thread(target=self.loop.run_forever, name="netpath", daemon=True)
        self._thread.start()

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(TIMEOUT)

    def path(self, target: tuple[str, int], low: float, high: float, seed: int) -> Path:
        path = Path(self, target, low, high, seed)
        self.run(path._start())
        self.paths.append(path)
        return path

    def close(self) -> None:
        async def close_all() -> None:
            for path in self.paths:
                await path._close()

        try:
            self.run(close_all())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(TIMEOUT)
            if not self.loop.is_running():
                self.loop.close()
