"""A loopback TCP proxy that gives each simulated tablet a bad network.

Each `Proxy` listens on 127.0.0.1 (a port of its own) and forwards every
connection made to it to the real server, holding each chunk of bytes for a
one-way delay drawn per chunk (`Delay`: base ± jitter, uniform), separately
for each direction. Order is preserved per direction: a chunk is never
released before the one read before it, as on a real TCP path.

The proxy can also read the WebSocket frames passing through it (`tap=True`,
or `tap="up"` for the client's frames only, which costs the harness less)
and record, for each text frame, when it entered the proxy and when it was
released to the other side. Released-to-server is, to well under a
millisecond on loopback, when the server received the message: the tests use
it as the "arrival" of a press, and server ping -> client ack pairs as the
round trips the server measured. Frames from the client are masked (RFC 6455
section 5.3); the tap unmasks them. Nothing is compressed: neither
websocket-client nor the server here negotiates permessage-deflate.

All proxies share one asyncio loop in one daemon thread (`NetEm`). Everything
is bounded: `NetEm.close()` aborts every connection and stops the loop.
"""

from __future__ import annotations

import asyncio
import random
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

UP = "up"  # client -> server
DOWN = "down"  # server -> client
CHUNK = 65536
CLOSE_TIMEOUT = 5.0


@dataclass
class Delay:
    """A one-way delay in seconds: uniform in [base - jitter, base + jitter]."""

    base: float = 0.0
    jitter: float = 0.0

    def draw(self, rng: random.Random) -> float:
        if self.jitter <= 0:
            return max(0.0, self.base)
        return max(0.0, rng.uniform(self.base - self.jitter, self.base + self.jitter))

    @property
    def worst(self) -> float:
        return self.base + max(0.0, self.jitter)


@dataclass
class Frame:
    """One WebSocket text frame seen by the tap (times: time.time(), seconds)."""

    direction: str  # up | down
    t_in: float  # read by the proxy from the sender
    t_out: float  # written by the proxy to the receiver
    text: str
    conn: int  # which connection through this proxy (0, 1, ...)
    due: float = 0.0  # when its delay meant it to be written (t_out - due: the proxy's lateness)


class _WsParser:
    """Incremental RFC 6455 frame reader for one direction of one connection."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.headers_done = False
        self.fragments = bytearray()
        self.fragment_opcode = 0

    def feed(self, data: bytes) -> list[str]:
        self.buf += data
        out: list[str] = []
        if not self.headers_done:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return out
            del self.buf[: end + 4]
            self.headers_done = True
        while True:
            frame = self._one()
            if frame is None:
                return out
            opcode, fin, payload = frame
            if opcode == 0:  # continuation
                self.fragments += payload
                if fin and self.fragment_opcode == 1:
                    out.append(self.fragments.decode("utf-8", "replace"))
                if fin:
                    self.fragments = bytearray()
            elif opcode == 1:
                if fin:
                    out.append(payload.decode("utf-8", "replace"))
                else:
                    self.fragment_opcode, self.fragments = 1, bytearray(payload)
            elif opcode == 2 and not fin:
                self.fragment_opcode, self.fragments = 2, bytearray(payload)

    def _one(self) -> tuple[int, bool, bytes] | None:
        buf = self.buf
        if len(buf) < 2:
            return None
        fin = bool(buf[0] & 0x80)
        opcode = buf[0] & 0x0F
        masked = bool(buf[1] & 0x80)
        length = buf[1] & 0x7F
        pos = 2
        if length == 126:
            if len(buf) < 4:
                return None
            length = struct.unpack(">H", bytes(buf[2:4]))[0]
            pos = 4
        elif length == 127:
            if len(buf) < 10:
                return None
            length = struct.unpack(">Q", bytes(buf[2:10]))[0]
            pos = 10
        mask = b""
        if masked:
            if len(buf) < pos + 4:
                return None
            mask = bytes(buf[pos : pos + 4])
            pos += 4
        if len(buf) < pos + length:
            return None
        payload = bytes(buf[pos : pos + length])
        del buf[: pos + length]
        if masked:
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        return opcode, fin, payload


@dataclass
class Proxy:
    """One simulated network path to the server (for one tablet)."""

    netem: NetEm
    target: tuple[str, int]
    up: Delay
    down: Delay
    tap: bool | str = False
    seed: int = 0
    name: str = ""
    port: int = 0
    frames: list[Frame] = field(default_factory=list)
    connections: int = 0
    _server: Any = None
    _writers: list[asyncio.StreamWriter] = field(default_factory=list)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    on_frame: Callable[[Frame], None] | None = None

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tapped(self, direction: str | None = None) -> list[Frame]:
        with self._lock:
            return [f for f in self.frames if direction is None or f.direction == direction]

    def clear(self) -> None:
        with self._lock:
            self.frames.clear()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _accept(self, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        conn = self.connections
        self.connections += 1
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        try:
            s_reader, s_writer = await asyncio.wait_for(
                asyncio.open_connection(*self.target), timeout=CLOSE_TIMEOUT
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
            self._pipe(c_reader, s_writer, self.up, UP, conn),
            self._pipe(s_reader, c_writer, self.down, DOWN, conn),
            return_exceptions=True,
        )
        for w in (c_writer, s_writer):
            w.close()
            if w in self._writers:
                self._writers.remove(w)
        for w in (c_writer, s_writer):
            try:
                await asyncio.wait_for(w.wait_closed(), CLOSE_TIMEOUT)
            except (TimeoutError, OSError):
                pass

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        delay: Delay,
        direction: str,
        conn: int,
    ) -> None:
        """Read chunks, hold each for its delay (never overtaking), write them."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, float, bytes, list[str]] | None] = asyncio.Queue()
        parser = _WsParser() if self.tap is True or self.tap == direction else None

        async def release() -> None:
            while True:
                item = await queue.get()
                if item is None:
                    break
                due, t_in, data, texts = item
                wait = due - time.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                t_out = time.time()
                if texts:
                    with self._lock:
                        for text in texts:
                            frame = Frame(direction, t_in, t_out, text, conn, due)
                            self.frames.append(frame)
                            if self.on_frame is not None:
                                self.on_frame(frame)
                try:
                    await writer.drain()
                except OSError:
                    break
            try:
                writer.write_eof()
            except (OSError, RuntimeError):
                pass

        releaser = loop.create_task(release())
        last_due = 0.0
        try:
            while True:
                data = await reader.read(CHUNK)
                if not data:
                    break
                t_in = time.time()
                due = max(last_due, t_in + delay.draw(self.rng))
                last_due = due
                texts = parser.feed(data) if parser is not None else []
                queue.put_nowait((due, t_in, data, texts))
        except OSError:
            pass
        finally:
            queue.put_nowait(None)
            await releaser

    def drop(self) -> None:
        """Abort every connection through this proxy (as a Wi-Fi drop would)."""

        async def abort() -> None:
            for w in list(self._writers):
                w.transport.abort()

        self.netem.run(abort())

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for w in list(self._writers):
            w.transport.abort()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=CLOSE_TIMEOUT)
        if self._server is not None:
            await self._server.wait_closed()


class NetEm:
    """The proxies of one test, on one event loop in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.proxies: list[Proxy] = []
        self._thread = threading.Thread(target=self.loop.run_forever, name="netem", daemon=True)
        self._thread.start()

    def run(self, coro: Any, timeout: float = CLOSE_TIMEOUT) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def proxy(
        self,
        target: tuple[str, int],
        up: Delay | None = None,
        down: Delay | None = None,
        tap: bool | str = False,
        seed: int = 0,
        name: str = "",
    ) -> Proxy:
        proxy = Proxy(self, target, up or Delay(), down or Delay(), tap, seed, name)
        self.run(proxy._start())
        self.proxies.append(proxy)
        return proxy

    def close(self) -> None:
        async def close_all() -> None:
            for proxy in self.proxies:
                await proxy._close()

        try:
            self.run(close_all())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(CLOSE_TIMEOUT)
            if not self.loop.is_running():
                self.loop.close()

    def __enter__(self) -> NetEm:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
