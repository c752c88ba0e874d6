"""The measurements, one stage per server: push vs baseline, acks and buzzes, the burst.

Each stage generates its contest, starts its server(s), connects its clients,
measures, and stops everything it started, even on error. Between measured
steps the harness waits until every client has the previous view, so one
push never overlaps the next.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from bench.contest import MAX_TEAMS, Layout, write_contest
from bench.hall import BenchError, Crowd, Mc, team_auths
from bench.procs import Server, Servers, cpu_s
from bench.stats import ratio, summary_ms
from bench.swarm import Watch, Workers
from quiz.live.journal import DELAY_ENV

QUIET = 1.5  # seconds after connecting: the server's 5 quick pings are over
ACK_SPREAD = 1.0  # seconds over which the 17 teams answer in one ack round
BURST_SPREAD = 1.0  # seconds over which the burst's tablets answer
ANSWER_TIMEOUT = 120.0  # seconds a tablet waits for its answer's ack
HALL_TEAMS = 17
SLOW_SYNC_MS = 50  # the injected fsync delay of the slow-sync stage
PROBES = 4  # extra tablets timing `sync` acks while the others' answers sync
PROBE_EVERY = 0.12  # seconds between one probe's syncs (within its message budget)


@dataclass
class Context:
    workers: Workers
    servers: Servers
    folder: Path
    async_mode: str
    reps: int  # questions shown per N
    ack_rounds: int  # rounds of 17 answers
    buzz_reps: int
    burst: int  # tablets in the burst
    log: Callable[[str], None]


def journal_records(path: Path | None) -> list[dict[str, Any]]:
    if path is None or not path.exists():
        return []
    lines = path.read_bytes().split(b"\n")
    return [json.loads(line) for line in lines[1:] if line.strip()]


def accepted(path: Path | None, question: str) -> int:
    """AnswerAccepted lines for `question` in a server's journal."""
    records = journal_records(path)
    return sum(1 for r in records if r["type"] == "AnswerAccepted" and r["question"] == question)


def view_bytes(view: dict[str, Any]) -> int:
    return len(json.dumps(view, separators=(",", ":")))


async def _step(crowd: Crowd, mc: Mc, name: str, qid: str, phase: str) -> tuple[list[float], int]:
    """An MC command on `qid`, timed until every client has the view in `phase`."""
    return await crowd.timed(
        Watch(phase=phase, question=qid), partial(mc.command, name, question=qid)
    )


async def _round(crowd: Crowd, mc: Mc, round_id: str) -> None:
    await crowd.timed(Watch(phase="intro"), partial(mc.command, "start_round", round=round_id))


async def _connect_mc(server: Server) -> Mc:
    mc = Mc(server.url, {"role": "mc", "pin": server.info["pin"]})
    await mc.connect()
    return mc


# push -------------------------------------------------------------------------------


def hall_auths(layout: Layout, codes: dict[str, str], n: int) -> list[dict[str, Any]]:
    """One tablet per team (as many teams as N allows), the other clients boards."""
    tablets = min(n, len(layout.teams))
    return team_auths(codes, layout.teams, tablets) + [{"role": "board"}] * (n - tablets)


@dataclass
class PushRun:
    ours: list[float]
    base: list[float]
    other: dict[str, list[float]]
    rep_max: dict[str, list[float]] = field(default_factory=lambda: {"ours": [], "base": []})
    missing_ours: int = 0
    missing_base: int = 0


async def _setup_baseline(trigger: Mc, crowd: Crowd, mc: Mc) -> dict[str, int]:
    """Give the baseline the views our server just pushed, one per role."""
    templates = await crowd.samples()
    templates["mc"] = mc.view
    await trigger.send("setup", templates)
    return {role: view_bytes(view) for role, view in templates.items()}


async def _push_reps(
    ctx: Context, layout: Layout, crowds: tuple[Crowd, Crowd], mcs: tuple[Mc, Mc]
) -> tuple[PushRun, dict[str, int]]:
    crowd, base_crowd = crowds
    mc, trigger = mcs
    run = PushRun([], [], {"open": [], "close": [], "reveal": []})
    sizes: dict[str, int] = {}
    for rep, qid in enumerate(layout.push):
        for which in ("ours", "base") if rep % 2 == 0 else ("base", "ours"):
            if which == "ours":
                lat, miss = await _step(crowd, mc, "show", qid, "shown")
                run.ours += lat
                run.rep_max["ours"].append(round(max(lat, default=0.0) * 1000, 1))
                run.missing_ours += miss
                if not sizes:
                    sizes = await _setup_baseline(trigger, crowd, mc)
                for name, phase in (("open", "open"), ("close", "closed"), ("reveal", "revealed")):
                    lat, miss = await _step(crowd, mc, name, qid, phase)
                    run.other[name] += lat
                    run.missing_ours += miss
            else:
                lat, miss = await base_crowd.timed(
                    Watch(bseq=rep), partial(trigger.send, "go", {"seq": rep})
                )
                run.base += lat
                run.rep_max["base"].append(round(max(lat, default=0.0) * 1000, 1))
                run.missing_base += miss
    return run, sizes


def workers_args(workers: int, edge_mode: str | None) -> list[str]:
    """`quiz serve` options for `workers` edges (1: today's single process)."""
    if workers <= 1:
        return []
    return ["--workers", str(workers), *(["--edge-async-mode", edge_mode] if edge_mode else [])]


def load_cpu_s(ctx: Context) -> float:
    """CPU seconds the client processes (the load generator) have used."""
    return sum(cpu_s(p.pid) for p in ctx.workers.procs if p.pid)


async def push_stage(
    ctx: Context, n: int, workers: int = 1, edge_mode: str | None = None, stage: str = "push"
) -> dict[str, Any]:
    """Question push to N clients, ours and the baseline interleaved (ours with
    `workers` edges when more than 1, docs/scale.md)."""
    teams = HALL_TEAMS if n <= HALL_TEAMS else MAX_TEAMS
    # Each stage's servers in their own folders (the scale stage's N may equal a push N).
    tag = f"{stage}-{n}"
    if workers > 1:
        tag += f"-w{workers}-{edge_mode or ctx.async_mode}"
    layout = write_contest(ctx.folder / tag, teams, push=ctx.reps)
    ours = ctx.servers.ours(
        tag, layout.path, layout.contest_id, ctx.async_mode, workers_args(workers, edge_mode)
    )
    base = ctx.servers.baseline(f"baseline-{tag}", ctx.async_mode)
    auths = hall_auths(layout, ours.info["codes"], n)
    crowd, base_crowd = Crowd(ctx.workers, "ours"), Crowd(ctx.workers, "base")
    mc = trigger = None
    try:
        mc = await _connect_mc(ours)
        trigger = Mc(base.url, {"role": "mc"})
        await trigger.connect()
        connect_s = await crowd.connect(ours.url, auths)
        base_connect_s = await base_crowd.connect(base.url, [{"role": a["role"]} for a in auths])
        await asyncio.sleep(QUIET)
        memory = {"ours_mb": round(ours.rss_mb(), 1), "baseline_mb": round(base.rss_mb(), 1)}
        await _round(crowd, mc, "push")
        cpu0 = (ours.cpu_s(), base.cpu_s(), load_cpu_s(ctx), time.monotonic())
        run, sizes = await _push_reps(ctx, layout, (crowd, base_crowd), (mc, trigger))
        cpu = {
            "ours_s": round(ours.cpu_s() - cpu0[0], 2),
            "baseline_s": round(base.cpu_s() - cpu0[1], 2),
            "load_generator_s": round(load_cpu_s(ctx) - cpu0[2], 2),
            "wall_s": round(time.monotonic() - cpu0[3], 2),
        }
        health = await crowd.health()
    finally:
        for c in (crowd, base_crowd):
            await c.close()
        for m in (mc, trigger):
            if m is not None:
                await m.close()
        ours.stop()
        base.stop()
    ours_sum = summary_ms(run.ours, run.missing_ours)
    base_sum = summary_ms(run.base, run.missing_base)
    tablets = sum(1 for a in auths if a["role"] == "team")
    return {
        "n": n,
        "server_workers": workers,
        "edge_mode": (edge_mode or ctx.async_mode) if workers > 1 else None,
        "cpu": cpu,
        "teams": teams,
        "tablets": tablets,
        "boards": n - tablets,
        "reps": len(layout.push),
        "connect_s": round(connect_s, 2),
        "baseline_connect_s": round(base_connect_s, 2),
        "payload_bytes": sizes,
        "ours": ours_sum,
        "baseline": base_sum,
        "ours_other_steps": {name: summary_ms(lat) for name, lat in run.other.items()},
        "ratio_p99": ratio(ours_sum["p99"], base_sum["p99"]),
        "max_per_rep_ms": run.rep_max,
        "ratio_median_rep_max": ratio(
            statistics.median(run.rep_max["ours"]), statistics.median(run.rep_max["base"])
        ),
        "ratio_p50": ratio(ours_sum["p50"], base_sum["p50"]),
        "memory": memory,
        "disconnects": health.get("disconnects", 0),
    }


# durable acks and buzzes --------------------------------------------------------------


def answer_summary(results: list[dict[str, Any]], journal: int) -> dict[str, Any]:
    ok = [r for r in results if r["ok"]]
    errors = Counter(str(r["error"]) for r in results if not r["ok"])
    acked = sum(1 for r in results if r["t1"] is not None)
    return {
        "sent": len(results),
        "acked": acked,
        "acked_ok": len(ok),
        "lost": len(results) - acked,
        "errors": dict(errors),
        "journal_accepted": journal,
        "journal_matches": journal == len(ok),
        "on_disk_not_acked": max(0, journal - len(ok)),
        **summary_ms([r["t1"] - r["t0"] for r in ok]),
    }


async def _answers(
    ctx: Context, question: str, spread: float, tag: str, lead: float = 0.3
) -> list[dict[str, Any]]:
    parts = await ctx.workers.all(
        "answer",
        ANSWER_TIMEOUT + spread + lead,
        group="ours",
        question=question,
        start_at=time.time() + lead,
        spread=spread,
        tag=tag,
        timeout=ANSWER_TIMEOUT,
    )
    return [r for part in parts for r in part]


async def _ack_rounds(ctx: Context, crowd: Crowd, mc: Mc, layout: Layout) -> list[dict[str, Any]]:
    qid = layout.answers[0]
    await _step(crowd, mc, "show", qid, "shown")
    await _step(crowd, mc, "open", qid, "open")
    results: list[dict[str, Any]] = []
    for r in range(ctx.ack_rounds):
        results += await _answers(ctx, qid, ACK_SPREAD, f"ack{r}")
    await _step(crowd, mc, "close", qid, "closed")
    await _step(crowd, mc, "reveal", qid, "revealed")
    return results


async def _buzz_reps(
    ctx: Context, crowds: tuple[Crowd, Crowd], mc: Mc, layout: Layout
) -> dict[str, list[float]]:
    crowd, boards = crowds
    out: dict[str, list[float]] = {"board": [], "ack": [], "missing": []}
    workers = len(ctx.workers)
    for i, qid in enumerate(layout.buzz):
        await _step(crowd, mc, "show", qid, "shown")
        await _step(crowd, mc, "open", qid, "open")
        tablet = i % len(layout.teams)
        acks: list[float] = []

        async def buzz(tablet: int = tablet, qid: str = qid, acks: list[float] = acks) -> float:
            res = await ctx.workers.one(
                tablet % workers,
                "call",
                40,
                group="ours",
                index=tablet // workers,
                event="buzz",
                payload={"question": qid},
                timeout=30,
            )
            if not res["ack"] or res["ack"].get("status") != "buzzed":
                raise BenchError(f"buzz on {qid} refused: {res}")
            acks.append(res["t1"] - res["t0"])
            return float(res["t0"])

        lat, miss = await boards.timed(Watch(question=qid, winner=True), buzz)
        out["board"] += lat
        out["ack"] += acks
        out["missing"].append(miss)
        team = layout.teams[tablet]
        await crowd.timed(
            Watch(phase="closed", question=qid),
            partial(mc.command, "judge", question=qid, team=team, correct=True),
        )
        await _step(crowd, mc, "reveal", qid, "revealed")
    return out


def settle_times(path: Path | None) -> list[float]:
    """What the engine waited after each first buzz (decide_at - at), from the journal."""
    return [r["decide_at"] - r["at"] for r in journal_records(path) if r["type"] == "BuzzRecorded"]


def buzz_summary(out: dict[str, list[float]], settle: list[float]) -> dict[str, Any]:
    board = summary_ms(out["board"], int(sum(out["missing"])))
    settle_sum = summary_ms(settle)
    share = None
    if board["p50"] and settle_sum["p50"] is not None:
        share = round(settle_sum["p50"] / board["p50"], 2)
    return {
        **board,
        "settle": settle_sum,
        "settle_share_of_p50": share,
        "buzz_ack": summary_ms(out["ack"]),
    }


async def ack_buzz_stage(ctx: Context) -> tuple[dict[str, Any], dict[str, Any]]:
    """17 tablets and a board: durable answer acks, then buzz → board."""
    layout = write_contest(ctx.folder / "hall", HALL_TEAMS, push=1, answers=1, buzz=ctx.buzz_reps)
    ours = ctx.servers.ours("hall", layout.path, layout.contest_id, ctx.async_mode)
    crowd, boards = Crowd(ctx.workers, "ours"), Crowd(ctx.workers, "board")
    mc = None
    try:
        mc = await _connect_mc(ours)
        await crowd.connect(ours.url, team_auths(ours.info["codes"], layout.teams, HALL_TEAMS))
        await boards.connect(ours.url, [{"role": "board"}])
        await asyncio.sleep(QUIET)
        await _round(crowd, mc, "push")
        await _round(crowd, mc, "answers")
        results = await _ack_rounds(ctx, crowd, mc, layout)
        await _round(crowd, mc, "buzz")
        buzz = await _buzz_reps(ctx, (crowd, boards), mc, layout)
    finally:
        for c in (crowd, boards):
            await c.close()
        if mc is not None:
            await mc.close()
        ours.stop()
    ack = answer_summary(results, accepted(ours.journal, layout.answers[0]))
    ack.update(teams=HALL_TEAMS, rounds=ctx.ack_rounds, spread_s=ACK_SPREAD)
    return ack, buzz_summary(buzz, settle_times(ours.journal))


# the burst ------------------------------------------------------------------------------


async def burst_stage(ctx: Context, workers: int = 1) -> dict[str, Any]:
    """`ctx.burst` tablets over the 60 teams all answer within one second."""
    tag = "burst" if workers <= 1 else f"burst-w{workers}"
    layout = write_contest(ctx.folder / tag, MAX_TEAMS, push=1, answers=1, buzz=1)
    ours = ctx.servers.ours(
        tag, layout.path, layout.contest_id, ctx.async_mode, workers_args(workers, None)
    )
    crowd = Crowd(ctx.workers, "ours")
    mc = None
    qid = layout.answers[0]
    try:
        mc = await _connect_mc(ours)
        connect_s = await crowd.connect(
            ours.url, team_auths(ours.info["codes"], layout.teams, ctx.burst)
        )
        await asyncio.sleep(QUIET)
        await _round(crowd, mc, "push")
        await _round(crowd, mc, "answers")
        await _step(crowd, mc, "show", qid, "shown")
        await _step(crowd, mc, "open", qid, "open")
        rss_before = ours.rss_mb()
        started = time.time()
        results = await _answers(ctx, qid, BURST_SPREAD, "burst", lead=1.0)
        elapsed = time.time() - started
        rss_after = ours.rss_mb()
        await _step(crowd, mc, "close", qid, "closed")
        journal = dict(mc.view.get("journal") or {})
        health = await crowd.health()
    finally:
        await crowd.close()
        if mc is not None:
            await mc.close()
        ours.stop()
    summary = answer_summary(results, accepted(ours.journal, qid))
    summary.update(
        server_workers=workers,
        clients=ctx.burst,
        teams=MAX_TEAMS,
        spread_s=BURST_SPREAD,
        connect_s=round(connect_s, 2),
        wall_s=round(elapsed, 2),
        rss_mb_before=round(rss_before, 1),
        rss_mb_after=round(rss_after, 1),
        disconnects=health.get("disconnects", 0),
        journal_entries=journal.get("entries"),
        journal_syncs=journal.get("syncs"),
    )
    return summary


# a slow disk ------------------------------------------------------------------------------


async def _probe(sio: Any, stop: asyncio.Event, out: list[float]) -> None:
    """Time `sync` acks (never journaled) until stopped."""
    while not stop.is_set():
        t0 = time.time()
        try:
            ack = await sio.call("sync", {"t": t0 * 1000}, timeout=30)
        except Exception:
            ack = None
        if isinstance(ack, dict) and ack.get("ok") is True:
            out.append(time.time() - t0)
        try:
            await asyncio.wait_for(stop.wait(), PROBE_EVERY)
        except TimeoutError:
            pass


async def _slow_sync_run(ctx: Context, delay_ms: int) -> dict[str, Any]:
    """The hall (17 tablets, a board) on a disk whose every fsync takes
    `delay_ms` longer: answer acks, other tablets' sync acks meanwhile, the
    buzz pushed to the board, the MC's steps."""
    name = f"sync-{delay_ms}ms"
    layout = write_contest(ctx.folder / name, HALL_TEAMS, push=1, answers=1, buzz=ctx.buzz_reps)
    ours = ctx.servers.ours(
        name, layout.path, layout.contest_id, ctx.async_mode, env={DELAY_ENV: str(delay_ms)}
    )
    crowd, boards = Crowd(ctx.workers, "ours"), Crowd(ctx.workers, "board")
    probes = [
        Mc(ours.url, {"role": "team", "code": ours.info["codes"][team]})
        for team in layout.teams[:PROBES]
    ]
    mc = None
    steps: dict[str, list[float]] = {"show": [], "open": []}
    synced: list[float] = []
    qid = layout.answers[0]
    try:
        mc = await _connect_mc(ours)
        await crowd.connect(ours.url, team_auths(ours.info["codes"], layout.teams, HALL_TEAMS))
        await boards.connect(ours.url, [{"role": "board"}])
        for probe in probes:
            await probe.connect()
        await asyncio.sleep(QUIET)
        await _round(crowd, mc, "push")
        await _round(crowd, mc, "answers")
        for step, phase in (("show", "shown"), ("open", "open")):
            lat, _ = await _step(crowd, mc, step, qid, phase)
            steps[step] += lat
        stop = asyncio.Event()
        timers = [asyncio.create_task(_probe(p.sio, stop, synced)) for p in probes]
        results: list[dict[str, Any]] = []
        try:
            for r in range(ctx.ack_rounds):
                results += await _answers(ctx, qid, ACK_SPREAD, f"ack{r}")
        finally:
            stop.set()
            await asyncio.gather(*timers)
        await _step(crowd, mc, "close", qid, "closed")
        journal = dict(mc.view.get("journal") or {})
        await _step(crowd, mc, "reveal", qid, "revealed")
        await _round(crowd, mc, "buzz")
        buzz = await _buzz_reps(ctx, (crowd, boards), mc, layout)
    finally:
        for c in (crowd, boards):
            await c.close()
        for m in (mc, *probes):
            if m is not None:
                await m.close()
        ours.stop()
    ack = answer_summary(results, accepted(ours.journal, qid))
    return {
        "delay_ms": delay_ms,
        "ack": ack,
        "sync_ack": summary_ms(synced),
        "buzz": buzz_summary(buzz, settle_times(ours.journal)),
        "mc_steps": {k: summary_ms(v) for k, v in steps.items()},
        "journal_entries": journal.get("entries"),
        "journal_syncs": journal.get("syncs"),
    }


async def slow_sync_stage(ctx: Context) -> dict[str, Any]:
    """The same hall twice in one run: fsync as the disk does it, then
    SLOW_SYNC_MS slower. Pushes and the acks that journal nothing must not
    move; an answer's ack waits for its own sync (and only that)."""
    normal = await _slow_sync_run(ctx, 0)
    slow = await _slow_sync_run(ctx, SLOW_SYNC_MS)

    def r(path: tuple[str, ...]) -> float | None:
        a: Any = slow
        b: Any = normal
        for key in path:
            a, b = a[key], b[key]
        return ratio(a, b)

    return {
        "delay_ms": SLOW_SYNC_MS,
        "teams": HALL_TEAMS,
        "probes": PROBES,
        "normal": normal,
        "slow": slow,
        "ratio_sync_ack_p99": r(("sync_ack", "p99")),
        "ratio_buzz_board_p99": r(("buzz", "p99")),
        "ratio_answer_ack_p99": r(("ack", "p99")),
    }
