"""The MC's steps, scripted (or watched, when a person runs the MC console),
and the faults the script causes: drops and a restart mid-question."""

from __future__ import annotations

import random
import threading
import time
from typing import Any

from quiz.rehearse.clients import Log, Mc
from quiz.rehearse.plan import Plan, QuestionPlan
from quiz.rehearse.server import Server


def _all_answered(view: dict[str, Any], qp: QuestionPlan) -> bool:
    got = {a["team"] for a in view.get("answers") or [] if a.get("answer") is not None}
    return set(qp.answers) <= got


def manual(server: Server, log: Log) -> None:
    print(f"  Open the MC console: {server.url}/mc   (PIN {server.pin})", file=log.out)
    print(f"  The board:           {server.url}/board", file=log.out)
    print(
        "  The teams play by themselves. Run the contest to its end; Ctrl+C stops.",
        file=log.out,
        flush=True,
    )
    watcher = Mc(server.url, server.pin)
    try:
        while not watcher.wait(lambda v: v.get("phase") == "finished", timeout=3600):
            pass
    except KeyboardInterrupt:
        log.note("stopped by Ctrl+C")
    finally:
        watcher.close()


def script(
    mc: Mc,
    server: Server,
    plan: Plan,
    paths: dict[str, Any],
    faults: set[str],
    max_questions: int | None,
    log: Log,
    rng: random.Random,
) -> int:
    asked = 0
    restarted = "restart" not in faults
    for _ in range(10_000):  # bounded: a contest has far fewer steps
        mc.wait(lambda v: "next" in v)
        view = mc.latest
        step = view["next"]
        name = step.get("command")
        if view["phase"] == "finished" or name in (None, "ceremony_next"):
            break
        qid = step.get("question")
        if name == "show":
            if max_questions is not None and asked >= max_questions:
                break
            asked += 1
            mc.do("show", question=qid)
            log.note(f"question {asked}: {qid}")
        elif name == "start_round":
            fields = {"round": step["round"]} if step.get("round") else {}
            if max_questions is not None and asked >= max_questions:
                break
            mc.do("start_round", **fields)
        elif name == "open":
            _open(mc, server, plan, qid, paths, faults, log, rng, restart=not restarted)
            restarted = restarted or _restartable(plan.questions[qid])
        elif name == "close":
            _close(mc, plan.questions[qid])
        elif name == "judge":
            qp = plan.questions[qid]
            verdict = qp.verdict(step["team"])
            mc.do("judge", question=qid, team=step["team"], correct=verdict)
        elif name == "resume":
            mc.do("resume", question=qid)
            log.note(f"MC resumed {qid}")
        else:
            mc.do(name, question=qid)
    return asked


def _restartable(qp: QuestionPlan) -> bool:
    """The restart fault strikes during the first question all teams answer."""
    return not qp.buzzer and bool(qp.answers)


def _open(
    mc: Mc,
    server: Server,
    plan: Plan,
    qid: str,
    paths: dict[str, Any],
    faults: set[str],
    log: Log,
    rng: random.Random,
    restart: bool,
) -> None:
    """Open a question, cause its faults, and wait for its planned answers."""
    mc.do("open", question=qid)
    qp = plan.questions[qid]
    if "drops" in faults and plan.teams:
        team = rng.choice(plan.teams)
        timer = threading.Timer(rng.uniform(0.2, 1.5), _drop, (paths[team], team, qid, log))
        timer.daemon = True
        timer.start()
    if restart and _restartable(qp):
        _restart_mid_question(mc, server, qp, log)
    _wait_question(mc, qp, log)


def _close(mc: Mc, qp: QuestionPlan) -> None:
    """Close the question, unless a rebound's next planned press ends it first."""
    if qp.buzzer and qp.presses:  # a rebound: the next planned press may come
        wait = max(p.delay for p in qp.presses) + 2.0
        mc.wait(lambda v: v["phase"] != "open", timeout=wait)
        if mc.latest["phase"] != "open":
            return
    mc.do("close", question=qp.question)


def _drop(path: Any, team: str, qid: str, log: Log) -> None:
    path.drop()
    log.fault(f"drop: {team}'s connection cut during {qid}")


def _wait_question(mc: Mc, qp: QuestionPlan, log: Log) -> None:
    """Until every planned answer is in (or, buzzing, someone won or all presses are
    made); then the script's next step closes, judges or waits for the clock."""
    if qp.buzzer:
        if not qp.presses:
            return
        last = max(p.delay for p in qp.presses) + 2.0
        mc.wait(lambda v: v["phase"] != "open", timeout=last + 5)
        return
    if not mc.wait(lambda v: _all_answered(v, qp) or v["phase"] != "open", timeout=60):
        log.note(f"{qp.question}: not every planned answer arrived in time")


def _restart_mid_question(mc: Mc, server: Server, qp: QuestionPlan, log: Log) -> None:
    """Kill the server once some answers are in, start it again on its journal."""
    half = max(1, len(qp.answers) // 2)

    def some(v: dict[str, Any]) -> bool:
        return sum(1 for a in v.get("answers") or [] if a.get("answer") is not None) >= half

    mc.wait(some, timeout=30)
    before = sum(1 for a in mc.latest.get("answers") or [] if a.get("answer") is not None)
    server.kill()
    down = time.monotonic()
    server.start()
    mc.wait(lambda v: v.get("question", {}) and v["question"]["id"] == qp.question, timeout=30)
    mc.wait(lambda v: v["phase"] == "open" and not (v.get("clock") or {}).get("running", True))
    kept = sum(1 for a in mc.latest.get("answers") or [] if a.get("answer") is not None)
    log.fault(
        f"restart: server killed during {qp.question} with {before} answer(s) in; back after "
        f"{time.monotonic() - down:.1f} s with {kept} kept, the question paused"
    )
    if not mc.latest.get("clock") or mc.latest["clock"].get("running"):
        return
    mc.do("resume", question=qp.question)
    log.note(f"MC resumed {qp.question} after the restart")
