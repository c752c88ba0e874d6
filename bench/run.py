"""The whole run: client processes, each stage in turn, resume, then the report.

Client processes are started before any event loop and stopped at the end;
every server a stage starts is registered and killed at the end, even on
error or Ctrl+C. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import report, resume
from bench.hall import BenchError
from bench.players import players_stage
from bench.procs import Servers
from bench.stages import Context, ack_buzz_stage, burst_stage, push_stage, slow_sync_stage
from bench.stats import ratio
from bench.swarm import Workers

DEFAULT_OUT = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Plan:
    ns: list[int]
    reps: int
    ack_rounds: int
    buzz_reps: int
    burst: int
    resume_entries: int
    workers: int
    scale_ns: list[int]
    server_workers: list[int]
    edge_modes: list[str]
    players: int = 500


def plan(args: argparse.Namespace) -> Plan:
    quick = bool(args.quick)
    ns = [int(x) for x in args.n.split(",")] if args.n else ([17, 50] if quick else [17, 200, 1000])
    return Plan(
        ns=ns,
        reps=args.reps or (3 if quick else 20),
        ack_rounds=args.ack_rounds or (3 if quick else 30),
        buzz_reps=args.buzz_reps or (3 if quick else 20),
        burst=args.burst or max(ns),
        resume_entries=args.resume_entries or (5_000 if quick else 100_000),
        workers=args.workers or (2 if quick else 4),
        players=args.players or (100 if quick else 500),
        scale_ns=_ints(args.scale_n) or ([50] if quick else [1000, 2000]),
        server_workers=_ints(args.server_workers) or ([1, 2] if quick else [1, 2, 4]),
        edge_modes=[
            m for m in (args.edge_modes or ("eventlet" if quick else "eventlet,gevent")).split(",")
        ],
    )


def _ints(text: str | None) -> list[int]:
    return [int(x) for x in text.split(",") if x] if text else []


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--quick", action="store_true", help="CI size: N=17,50, few repetitions")
    p.add_argument("--n", help="comma-separated client counts for the push test (17,200,1000)")
    p.add_argument("--async-mode", default="eventlet", choices=("eventlet", "gevent", "threading"))
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the JSON result")
    p.add_argument("--workers", type=int, help="client processes (4; quick 2)")
    p.add_argument("--reps", type=int, help="questions shown per N (20; quick 3)")
    p.add_argument("--ack-rounds", type=int, help="rounds of 17 answers (30; quick 3)")
    p.add_argument("--buzz-reps", type=int, help="buzzes timed (20; quick 3)")
    p.add_argument("--burst", type=int, help="tablets in the burst (largest N)")
    p.add_argument("--resume-entries", type=int, help="journal entries (100000; quick 5000)")
    p.add_argument("--players", type=int, help="player phones, Rung chuông vàng (500; quick 100)")
    p.add_argument("--scale-n", help="client counts for the --workers stage (1000,2000; quick 50)")
    p.add_argument("--server-workers", help="`quiz serve --workers` values to compare (1,2,4)")
    p.add_argument("--edge-modes", help="the edges' async modes to compare (eventlet,gevent)")
    p.add_argument(
        "--skip",
        default="",
        help="comma-separated: push,hall,burst,scale,scale-burst,slowsync,players,resume",
    )
    p.add_argument("--keep", action="store_true", help="keep the server logs and journals")
    return p


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _memory(push: list[dict[str, Any]], burst: dict[str, Any] | None) -> dict[str, Any] | None:
    if not push:
        return None
    top = max(push, key=lambda p: p["n"])
    mem = top["memory"]
    return {
        "clients": top["n"],
        "ours_mb": mem["ours_mb"],
        "baseline_mb": mem["baseline_mb"],
        "ratio": ratio(mem["ours_mb"], mem["baseline_mb"]),
        "burst_mb": burst["rss_mb_before"] if burst else None,
    }


async def _stages(ctx: Context, p: Plan, skip: set[str], result: dict[str, Any]) -> None:
    if "push" not in skip:
        result["push"] = []
        for n in p.ns:
            ctx.log(f"push: N={n}, ours and the baseline")
            result["push"].append(await push_stage(ctx, n))
    if "hall" not in skip:
        ctx.log("answer acks and buzzes: 17 tablets and a board")
        result["ack"], result["buzz"] = await ack_buzz_stage(ctx)
    if "burst" not in skip:
        ctx.log(f"burst: {p.burst} tablets")
        result["burst"] = await burst_stage(ctx)
    if "scale" not in skip:
        result["scale"] = []
        for n in p.scale_ns:
            for workers in p.server_workers:
                for mode in p.edge_modes if workers > 1 else [None]:
                    ctx.log(f"scale: N={n}, --workers {workers} {mode or ''}, and the baseline")
                    try:
                        result["scale"].append(await push_stage(ctx, n, workers, mode, "scale"))
                    except BenchError as exc:  # recorded and reported; the other stages go on
                        ctx.log(f"scale: N={n}, --workers {workers} failed: {exc}")
                        result.setdefault("scale_failed", []).append(
                            {
                                "n": n,
                                "server_workers": workers,
                                "edge_mode": mode,
                                "error": str(exc),
                            }
                        )
    if "scale-burst" not in skip:
        workers = max(2, min(p.server_workers[-1], 2))
        ctx.log(f"burst: {p.burst} tablets, --workers {workers}")
        result["scale_burst"] = await burst_stage(ctx, workers)
    if "slowsync" not in skip:
        ctx.log("slow disk: the hall with fsync as it is, then 50 ms slower")
        result["slow_sync"] = await slow_sync_stage(ctx)
    if "players" not in skip:
        ctx.log(f"players: {p.players} phones and a board (Rung chuông vàng)")
        result["players"] = await players_stage(ctx, p.players)


def run(args: argparse.Namespace) -> dict[str, Any]:
    p = plan(args)
    skip = {s for s in args.skip.split(",") if s}
    if shutil.which("redis-server") is None:  # --workers N starts a private one
        progress("no redis-server on PATH: the --workers stages are skipped")
        skip |= {"scale", "scale-burst"}
    started = time.time()
    result: dict[str, Any] = {
        "started": started,
        "mode": "quick" if args.quick else "full",
        "async_mode": args.async_mode,
        "workers": p.workers,
        "plan": vars(p),
        "machine": report.machine(),
    }
    folder = Path(tempfile.mkdtemp(prefix="quiz-bench-"))
    servers = Servers(folder)
    workers = Workers(p.workers)
    try:
        ctx = Context(
            workers,
            servers,
            folder,
            args.async_mode,
            p.reps,
            p.ack_rounds,
            p.buzz_reps,
            p.burst,
            progress,
        )
        asyncio.run(_stages(ctx, p, skip, result))
        if "resume" not in skip:
            progress(f"resume: {p.resume_entries} journal entries")
            result["resume"] = resume.measure(folder / "resume", p.resume_entries)
    finally:
        servers.stop_all()
        workers.stop()
        if args.keep:
            progress(f"server logs and journals kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    memory = _memory(result.get("push", []), result.get("burst"))
    if memory:
        result["memory"] = memory
    result["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    result["runtime_s"] = round(time.time() - started, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)  # drops are counted
    result = run(args)
    path = report.write_json(result, args.out)
    print(report.table(result))
    print(f"result: {path}")
    return 0
