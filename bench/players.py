"""Rung chuông vàng at scale: P player phones and the board on one laptop.

Two measurements against the bare baseline in the same run (bench/baseline.py
broadcasting views of the same size to the same number of clients):

- question push: the MC shows a question; the time until every phone and the
  board has it, ours against the baseline's broadcast (interleaved reps), and
  the server's memory (RSS) with every phone connected;
- the answer burst: every player answers the same question within one second;
  each answer's ack time, every one acked, none lost (the journal holds as
  many AnswerAccepted as were acked).

Our server builds each phone's view from one shared part (views.player_shared)
and a few keys of its own; the baseline sends one payload to a room.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from functools import partial
from pathlib import Path
from typing import Any

from bench.contest import ANSWER_TIME_LIMIT, _question
from bench.hall import Crowd, Mc
from bench.stages import (
    QUIET,
    Context,
    _connect_mc,
    _setup_baseline,
    _step,
    accepted,
    answer_summary,
)
from bench.stats import ratio, summary_ms
from bench.swarm import Watch

ANSWER_SPREAD = 1.0  # seconds over which every player answers
ANSWER_TIMEOUT = 120.0


def write_players_contest(folder: Path, players: int, push: int) -> tuple[Path, list[str], str]:
    """A contest of `players` players and one elimination round: `push` questions
    to show, then one to answer (the longest time limit)."""
    folder.mkdir(parents=True, exist_ok=True)
    push_ids = [f"p{i + 1:02d}" for i in range(push)]
    answer_id = "answer-1"
    bank = ["bank: bench", "title: Câu hỏi đo hiệu năng", "defaults: {time_limit: 60, points: 10}"]
    bank.append("questions:")
    bank += [_question(qid, i + 1) for i, qid in enumerate(push_ids)]
    bank.append(_question(answer_id, push + 1, ANSWER_TIME_LIMIT))
    (folder / "bank.yaml").write_text("\n".join(bank) + "\n", encoding="utf-8")
    roster = "".join(
        f"  - {{number: '{i:03d}', name: Nguyễn Thị Thu Trang {i}}}\n"
        for i in range(1, players + 1)
    )
    text = (
        "contest: bench-players\ntitle: Rung chuông vàng — đo hiệu năng\nbanks: [bank.yaml]\n"
        f"players:\n{roster}rounds:\n  - id: rcv\n    title: Rung chuông vàng\n"
        f"    format: elimination\n    questions: [{', '.join(push_ids + [answer_id])}]\n"
    )
    path = folder / "contest.yaml"
    path.write_text(text, encoding="utf-8")
    return path, push_ids, answer_id


async def _players_answer(ctx: Context, question: str, tag: str) -> list[dict[str, Any]]:
    parts = await ctx.workers.all(
        "answer",
        ANSWER_TIMEOUT + ANSWER_SPREAD + 1.0,
        group="ours",
        question=question,
        start_at=time.time() + 1.0,
        spread=ANSWER_SPREAD,
        tag=tag,
        timeout=ANSWER_TIMEOUT,
        role="player",
    )
    return [r for part in parts for r in part]


async def players_stage(ctx: Context, players: int) -> dict[str, Any]:
    """P phones and a board: push vs the baseline, RSS, then the answer burst."""
    path, push_ids, answer_id = write_players_contest(
        ctx.folder / "players", players, max(2, ctx.reps)
    )
    ours = ctx.servers.ours("players", path, "bench-players", ctx.async_mode)
    base = ctx.servers.baseline("baseline-players", ctx.async_mode)
    codes: dict[str, str] = ours.info["player_codes"]
    auths = [{"role": "player", "code": codes[n]} for n in sorted(codes)][:players]
    auths.append({"role": "board"})
    crowd, base_crowd = Crowd(ctx.workers, "ours"), Crowd(ctx.workers, "base")
    mc: Mc | None = None
    trigger: Mc | None = None
    ours_lat: list[float] = []
    base_lat: list[float] = []
    missing = {"ours": 0, "base": 0}
    rep_max: dict[str, list[float]] = {"ours": [], "base": []}
    sizes: dict[str, int] = {}
    try:
        mc = await _connect_mc(ours)
        trigger = Mc(base.url, {"role": "mc"})
        await trigger.connect()
        connect_s = await crowd.connect(ours.url, auths)
        await base_crowd.connect(base.url, [{"role": a["role"]} for a in auths])
        await asyncio.sleep(QUIET)
        memory = {"ours_mb": round(ours.rss_mb(), 1), "baseline_mb": round(base.rss_mb(), 1)}
        await crowd.timed(Watch(phase="intro"), partial(mc.command, "start_round"))
        for rep, qid in enumerate(push_ids):
            for which in ("ours", "base") if rep % 2 == 0 else ("base", "ours"):
                if which == "ours":
                    lat, miss = await _step(crowd, mc, "show", qid, "shown")
                    if not sizes:
                        sizes = await _setup_baseline(trigger, crowd, mc)
                    ours_lat += lat
                    # Nobody answers: all_out restore keeps everyone on the floor.
                    for name, phase in (
                        ("open", "open"),
                        ("close", "closed"),
                        ("reveal", "revealed"),
                    ):
                        await _step(crowd, mc, name, qid, phase)
                else:
                    lat, miss = await base_crowd.timed(
                        Watch(bseq=rep), partial(trigger.send, "go", {"seq": rep})
                    )
                    base_lat += lat
                missing[which] += miss
                rep_max[which].append(round(max(lat, default=0.0) * 1000, 1))
        await _step(crowd, mc, "show", answer_id, "shown")
        await _step(crowd, mc, "open", answer_id, "open")
        started = time.time()
        results = await _players_answer(ctx, answer_id, "players")
        wall = time.time() - started
        rss_after = ours.rss_mb()
        health = await crowd.health()
    finally:
        for c in (crowd, base_crowd):
            await c.close()
        for m in (mc, trigger):
            if m is not None:
                await m.close()
        ours.stop()
        base.stop()
    ours_sum = summary_ms(ours_lat, missing["ours"])
    base_sum = summary_ms(base_lat, missing["base"])
    answers = answer_summary(results, accepted(ours.journal, answer_id))
    answers.update(spread_s=ANSWER_SPREAD, wall_s=round(wall, 2), rss_mb_after=round(rss_after, 1))
    return {
        "players": players,
        "boards": 1,
        "reps": len(push_ids),
        "connect_s": round(connect_s, 2),
        "payload_bytes": sizes,
        "push": {
            "ours": ours_sum,
            "baseline": base_sum,
            "ratio_p99": ratio(ours_sum["p99"], base_sum["p99"]),
            "ratio_p50": ratio(ours_sum["p50"], base_sum["p50"]),
            "max_per_rep_ms": rep_max,
            "ratio_median_rep_max": ratio(
                statistics.median(rep_max["ours"]), statistics.median(rep_max["base"])
            ),
        },
        "memory": {**memory, "ratio": ratio(memory["ours_mb"], memory["baseline_mb"])},
        "answers": answers,
        "disconnects": health.get("disconnects", 0),
    }
