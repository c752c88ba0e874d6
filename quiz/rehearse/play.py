"""A rehearsal: the contest played against a real server with simulated teams.

`rehearse()` starts `quiz serve` on 127.0.0.1 in a throwaway data folder, one
bot per team (a real Socket.IO client, through its own simulated network path
when faults are asked for), and the MC's steps (scripted, or a person at the
real MC console with `mc="manual"`). Faults: `slow` (every team's link delays
each chunk 50-200 ms each way: round trips of 100-400 ms), `drops` (one team's
connection cut during every question), `restart` (the server killed once
mid-question and started again on its journal). At the end it prints what
happened and, for a scripted MC, plays the same plan again without faults and
checks that every team's total is the same.
"""

import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from quiz.rehearse.clients import Bot, Log, Mc
from quiz.rehearse.netpath import Net
from quiz.rehearse.plan import Plan, make_plan
from quiz.rehearse.script import manual, script
from quiz.rehearse.server import RehearsalError, Server
from quiz.rules.model import Contest

__all__ = ["Log", "RehearsalError", "Result", "compare", "parse_faults", "rehearse", "run_once"]

FAULTS = ("drops", "slow", "restart")
SLOW = (0.05, 0.2)  # one-way seconds: round trips of 100-400 ms


@dataclass
class Result:
    totals: dict[str, float]
    questions: int
    log: Log
    retries: int = 0
    reconnects: int = 0


def run_once(
    contest: Contest,
    contest_path: Path,
    plan: Plan,
    faults: set[str],
    max_questions: int | None,
    log: Log,
    seed: int,
    mc_manual: bool = False,
) -> Result:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="quiz-rehearse-") as folder:
        server = Server(contest_path, Path(folder), pin=f"{rng.randrange(10**6):06d}")
        server.start()
        net = Net()
        bots: list[Bot] = []
        mc: Mc | None = None
        try:
            low, high = SLOW if "slow" in faults else (0.0, 0.0)
            paths = {
                team: net.path(("127.0.0.1", server.port), low, high, seed + i)
                for i, team in enumerate(plan.teams)
            }
            for team in plan.teams:
                bots.append(Bot(paths[team].url, server.codes[team], team, plan, log))
            if mc_manual:
                manual(server, log)
                mc = Mc(server.url, server.pin)
            else:
                mc = Mc(server.url, server.pin)
                asked = script(mc, server, plan, paths, faults, max_questions, log, rng)
            view = mc.latest
            totals = {row["team"]: float(row["total"]) for row in view.get("scoreboard") or []}
            asked = len(view.get("asked") or []) if mc_manual else asked
            return Result(
                totals,
                asked,
                log,
                retries=sum(b.retries for b in bots),
                reconnects=sum(max(0, b.connects - 1) for b in bots),
            )
        finally:
            for client in [*bots, *([mc] if mc else [])]:
                client.close()
            net.close()
            server.stop()


def rehearse(
    contest: Contest,
    contest_path: str,
    teams: int | None,
    faults: set[str],
    mc: str,
    out: IO[str],
    accuracy: float = 0.7,
    seed: int = 1,
    max_questions: int | None = None,
    answer_within: float = 6.0,
) -> int:
    """Play `contest` (loaded from `contest_path`) with faults, then replay it
    without and compare every total; 0 when they agree."""
    ids = [t.id for t in contest.teams]
    if teams is not None and not 1 <= teams <= len(ids):
        print(f"error: --teams must be from 1 to {len(ids)} (the contest's teams)", file=sys.stderr)
        return 2
    playing = ids[: teams or len(ids)]
    plan = make_plan(contest, playing, accuracy, seed, slowest=answer_within)
    path = Path(contest_path)
    print(
        f"Rehearsal of '{contest.title}': {len(playing)} simulated teams, "
        f"faults: {', '.join(sorted(faults)) or 'none'}, MC: {mc}",
        file=out,
        flush=True,
    )
    log = Log(out)
    try:
        run = run_once(contest, path, plan, faults, max_questions, log, seed, mc == "manual")
    except RehearsalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    names = {t.id: t.name for t in contest.teams}
    _report(run, names, out)
    if mc == "manual":
        print("\n(A person ran the MC: no scripted replay to compare with.)", file=out)
        return 0
    return _replay(contest, path, plan, max_questions, seed, run, out)


def _replay(
    contest: Contest,
    path: Path,
    plan: Plan,
    max_questions: int | None,
    seed: int,
    run: Result,
    out: IO[str],
) -> int:
    """The same plan without faults: 0 when every total equals the run's."""
    print("\nReplaying the same answers without faults ...", file=out, flush=True)
    try:
        clean = run_once(contest, path, plan, set(), max_questions, Log(out, quiet=True), seed)
    except RehearsalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    problems = compare(run, clean, {t.id: t.name for t in contest.teams})
    if problems:
        print("MISMATCH: the totals differ from the run without faults:", file=out)
        for line in problems:
            print(f"  {line}", file=out)
        return 1
    print("OK: every total equals the run without faults.", file=out)
    return 0


def _report(run: Result, names: dict[str, str], out: IO[str]) -> None:
    """The totals of a run, and the faults it survived."""
    print(f"\nPlayed {run.questions} questions. Totals:", file=out)
    for team, total in sorted(run.totals.items(), key=lambda kv: -kv[1]):
        print(f"  {names.get(team, team):<30} {total:g}", file=out)
    print("\nFaults and how they were survived:", file=out)
    for fault in run.log.faults or ["none"]:
        print(f"  {fault}", file=out)
    print(
        f"  the teams reconnected {run.reconnects} times and resent {run.retries} "
        "messages until the server acknowledged them",
        file=out,
    )


def compare(run: Result, clean: Result, names: dict[str, str]) -> list[str]:
    """Where a run with faults differs from the same plan played without."""
    problems = []
    if run.questions != clean.questions:
        problems.append(f"{run.questions} questions played with faults, {clean.questions} without")
    for team in sorted(set(run.totals) | set(clean.totals)):
        faulty, fine = run.totals.get(team), clean.totals.get(team)
        if faulty != fine:
            problems.append(f"{names.get(team, team)}: {faulty} with faults, {fine} without")
    return problems


def parse_faults(text: str) -> set[str]:
    found = {f.strip() for f in text.split(",") if f.strip()}
    unknown = found - set(FAULTS)
    if unknown:
        raise ValueError(
            f"unknown fault(s): {', '.join(sorted(unknown))} (choose from {', '.join(FAULTS)})"
        )
    return found
