"""SIGKILL at random moments over a scripted 17-team round, again and again.

The script is the mini contest played by 17 tablets and the MC: the six `all`
questions (every type; some teams change their answer, as `allow_change`
allows) and a buzzer question (a wrong answer, the rebound, a right one).
A killer thread SIGKILLs the server at seeded random moments spread over the
script's steps (>= 20 times; `--crashes N` or QUIZ_CRASHES for more) and starts
it again at once on the same data folder and port. The tablets and the MC are
real Socket.IO clients that reconnect by themselves; tablets resend whatever
was not acknowledged, with the same answer id; the MC resumes the paused clock
and re-issues its step as the next-step logic says.

After every kill, before the restart: every acknowledged answer and buzz is in
the journal, and so is every event any ack reported (`v`). After every
restart: the MC's view shows exactly the answers the journal holds. At the
end: every acknowledged answer is there, and the scores, correct counts and
recorded answers equal those of the same script played without a crash.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from clients import Tablet
from conftest import TEAM_IDS, LiveServer, start_server, write_contest

from quiz.files.bank import load_contest
from quiz.rules import engine
from quiz.rules.answers import display
from quiz.rules.events import AnswerAccepted, BuzzRecorded, Event, from_record
from quiz.rules.model import Contest

pytestmark = pytest.mark.live

SEED = int(os.environ.get("QUIZ_CRASH_SEED", "20230829"))
STEP_WAIT = 60.0  # the longest one step may take, crashes included
KILL_DELAY = (0.0, 0.3)  # a kill falls this long after its step began
ANSWER_KILL_DELAY = (0.0, 0.03)  # ...or, in an answering step, while answers are in flight

# (question, right answer, wrong answer), the `all` round of the mini contest
ALL_ROUND = [
    ("q-single", "B", "A"),
    ("q-tf", True, False),
    ("q-multi", ["A", "C"], ["A"]),
    ("q-text", "một cửa", "hai cửa"),
    ("q-number", 41, "40,5"),
    ("q-order", ["B", "C", "A"], ["A", "B", "C"]),
]
BUZZ_Q = "q-buzz-1"
BUZZ_WRONG, BUZZ_RIGHT = TEAM_IDS[1], TEAM_IDS[4]


def answers_for(k: int) -> dict[str, list[tuple[Any, str]]]:
    """What each team sends to the k-th question, in order: (value, answer id).
    Every fourth team first sends the other value, then changes its mind."""
    qid, right, wrong = ALL_ROUND[k]
    plan: dict[str, list[tuple[Any, str]]] = {}
    for i, team in enumerate(TEAM_IDS):
        final = wrong if (i + k) % 3 == 0 else right
        sends = [(final, f"{team}-{qid}-1")]
        if (i + k) % 4 == 0:
            first = right if final is wrong else wrong
            sends = [(first, f"{team}-{qid}-0"), *sends]
        plan[team] = sends
    return plan


@dataclass
class Step:
    """One thing the script does, and the view (the MC's) that shows it is done."""

    kind: str  # mc | answers | buzz
    command: str = ""
    question: str | None = None
    round: str | None = None
    team: str | None = None
    correct: bool | None = None
    k: int = -1  # index into ALL_ROUND for `answers`

    def done(self, v: dict[str, Any]) -> bool:
        q = v.get("question") or {}
        here = q.get("id") == self.question
        phase = v["phase"]
        buzz = v.get("buzz") or {}
        if self.command == "start_round":
            return bool(v.get("round")) and v["round"]["id"] == self.round
        if self.command == "show":
            return here
        if self.command == "open":
            return here and phase != "shown"
        if self.command == "close":
            return here and phase in ("closed", "revealed")
        if self.command == "reveal":
            return here and phase == "revealed"
        if self.command == "judge":
            return here and any(a["team"] == self.team for a in buzz.get("attempts", []))
        if self.kind == "buzz":
            return here and (
                buzz.get("winner") == self.team
                or any(a["team"] == self.team for a in buzz.get("attempts", []))
            )
        raise AssertionError(self)

    def __str__(self) -> str:
        what = self.command or self.kind
        return f"{what} {self.question or self.round or ''} {self.team or ''}".strip()


def script() -> list[Step]:
    steps = [Step("mc", "start_round", round="chung")]
    for k, (qid, _, _) in enumerate(ALL_ROUND):
        steps += [
            Step("mc", "show", question=qid),
            Step("mc", "open", question=qid),
            Step("answers", question=qid, k=k),
            Step("mc", "close", question=qid),
            Step("mc", "reveal", question=qid),
        ]
    steps += [
        Step("mc", "start_round", round="bam-chuong"),
        Step("mc", "show", question=BUZZ_Q),
        Step("mc", "open", question=BUZZ_Q),
        Step("buzz", question=BUZZ_Q, team=BUZZ_WRONG),
        Step("mc", "judge", question=BUZZ_Q, team=BUZZ_WRONG, correct=False),
        Step("buzz", question=BUZZ_Q, team=BUZZ_RIGHT),
        Step("mc", "judge", question=BUZZ_Q, team=BUZZ_RIGHT, correct=True),
        Step("mc", "reveal", question=BUZZ_Q),
    ]
    return steps


def read_journal(path: Path) -> list[Event]:
    """The journal's complete lines, read without touching the file."""
    lines = path.read_bytes().split(b"\n")[:-1]  # the last piece is torn or empty
    return [from_record(json.loads(line)) for line in lines[1:] if line.strip()]


@dataclass
class Acked:
    """Everything the server acknowledged (and so promised to keep)."""

    answers: set[tuple[str, str, str]] = field(default_factory=set)  # (question, team, id)
    buzzes: set[tuple[str, str]] = field(default_factory=set)  # (question, team)
    max_v: int = 0
    in_flight: int = 0  # requests whose ack never came: the server died under them
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ack(self, ack: Any) -> None:
        if isinstance(ack, dict) and isinstance(ack.get("v"), int):
            with self.lock:
                self.max_v = max(self.max_v, ack["v"])


class Hall:
    """The server (restarted on the same data folder and port after each kill) and
    its 18 screens, which reconnect by themselves."""

    def __init__(self, contest_path: Path, data: Path, mode: str) -> None:
        self.contest_path = contest_path
        self.data = data
        self.mode = mode
        self.contest: Contest = load_contest(contest_path)
        self.server: LiveServer = start_server(contest_path, data, mode)
        self.port = int(self.server.info["port"])
        self.journal = data / self.contest.id / "journal.jsonl"
        self.acked = Acked()
        self.restarts = 0
        self.restart_s: list[float] = []
        self.lock = threading.Lock()  # held while the server is down and coming back
        self.closed = False  # once closed, the killer starts no server (none may outlive us)
        self.mc = Tablet(self.server.url, {"role": "mc", "pin": self.server.pin}, "mc")
        with ThreadPoolExecutor(8) as pool:
            tablets = pool.map(
                lambda t: Tablet(
                    self.server.url, {"role": "team", "code": self.server.codes[t]}, t
                ),
                TEAM_IDS,
            )
            self.teams: dict[str, Tablet] = dict(zip(TEAM_IDS, tablets, strict=True))

    @property
    def screens(self) -> list[Tablet]:
        return [self.mc, *self.teams.values()]

    def close(self) -> None:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(Tablet.close, self.screens))
        with self.lock:  # a restart under way ends first, and no later one starts
            self.closed = True
            self.server.stop()

    # the crash ---------------------------------------------------------------------

    def crash_and_restart(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.server.kill()
            killed = time.time()
            acked, logged = self.check_durable()
            started = time.monotonic()
            connects = {s.name: len(s.connects) for s in self.screens}
            self.server = start_server(
                self.contest_path, self.data, self.mode, extra=["--port", str(self.port)]
            )
            self.restarts += 1
            deadline = time.monotonic() + 30
            for screen in self.screens:  # every screen is back, with a view of the new server
                while len(screen.connects) <= connects[screen.name]:
                    assert time.monotonic() < deadline, f"{screen.name} did not reconnect"
                    time.sleep(0.01)
            self.restart_s.append(time.monotonic() - started)
        self.check_view_matches_journal(killed, acked, logged)

    def check_durable(self) -> tuple[set[tuple[str, str, str]], int]:
        """Right after the kill: every acknowledged thing is in the journal. (The server
        is dead: the journal is final, and an ack still being read by a client thread
        was sent after its events were on disk.)"""
        events = read_journal(self.journal)
        answers = {(e.question, e.team, e.nonce) for e in events if isinstance(e, AnswerAccepted)}
        buzzes = {(e.question, e.team) for e in events if isinstance(e, BuzzRecorded)}
        with self.acked.lock:
            lost = self.acked.answers - answers
            lost_buzzes = self.acked.buzzes - buzzes
            max_v = self.acked.max_v
        assert not lost, f"acknowledged answers missing from the journal: {sorted(lost)}"
        assert not lost_buzzes, f"acknowledged buzzes missing: {sorted(lost_buzzes)}"
        assert max_v <= len(events), f"an ack reported v={max_v}, the journal has {len(events)}"
        return answers & self.acked.answers, len(events)

    def check_view_matches_journal(
        self, killed: float, acked: set[tuple[str, str, str]], logged: int
    ) -> None:
        """After the restart: the MC's first view from the new server shows exactly
        the answers of the journal up to that view's version (acknowledged ones,
        and any whose ack was lost in the crash), and every one acknowledged before."""
        # The first view the MC holds from the new server (a view of the old one
        # may still have been in its buffer when the kill came: those are older).
        self.mc.wait(lambda v: v["v"] >= logged)
        with self.mc._lock:
            view = next(v for t, v in self.mc.timeline if t >= killed and v["v"] >= logged)
        state = engine.replay(self.contest, read_journal(self.journal)[: view["v"]])
        q = state.question
        if q is None or not view.get("answers") or view["question"]["id"] != q.id:
            return
        question = self.contest.questions[q.id]
        expected = {
            t: display(question, r.value) if (r := q.answers.get(t)) else None for t in TEAM_IDS
        }
        shown = {row["team"]: row["answer"] for row in view["answers"]}
        assert shown == expected
        for qid, team, nonce in acked:
            if qid == q.id:
                assert q.answers.get(team) is not None, (team, nonce)


# --- the script's actors --------------------------------------------------------------------


def mc_act(hall: Hall, step: Step) -> None:
    """The MC's move for `step`: resume a paused clock first, as the next step says."""
    mc = hall.mc
    nxt = mc.view.get("next") or {}
    if nxt.get("command") == "resume":
        hall.acked.ack(mc.request("command", {"name": "resume", "question": nxt["question"]}, 3))
        return
    if step.kind != "mc":
        return
    fields: dict[str, Any] = {"name": step.command}
    if step.command == "start_round":
        fields["round"] = step.round
    else:
        fields["question"] = step.question
    if step.command == "judge":
        fields.update(team=step.team, correct=step.correct)
    hall.acked.ack(mc.request("command", fields, 3))


def send_until_acked(hall: Hall, team: str, qid: str, value: Any, nonce: str, until: float) -> None:
    """One tablet's answer: resent (same id) until the server acknowledges it."""
    tablet = hall.teams[team]
    while time.monotonic() < until:
        if not tablet.connected:
            time.sleep(0.02)
            continue
        ack = tablet.request("answer", {"question": qid, "value": value, "id": nonce}, 3)
        if ack is None:  # dropped with the server: never acknowledged, send it again
            with hall.acked.lock:
                hall.acked.in_flight += 1
            continue
        if ack.get("ok"):
            assert ack["received"] and ack["answer"]["nonce"] == nonce, ack
            with hall.acked.lock:
                hall.acked.answers.add((qid, team, nonce))
            hall.acked.ack(ack)
            return
        assert ack["error"] == "paused", (team, qid, ack)  # restarted: the MC resumes
        time.sleep(0.03)
    raise AssertionError(f"{team} could not answer {qid}")


def buzz_until_won(hall: Hall, step: Step, until: float) -> None:
    assert step.team is not None and step.question is not None
    tablet = hall.teams[step.team]
    while not step.done(hall.mc.view):
        assert time.monotonic() < until, f"{step.team} never won the buzz"
        if tablet.connected:
            ack = tablet.request("buzz", {"question": step.question}, 3)
            if ack is not None and ack.get("ok"):
                with hall.acked.lock:
                    hall.acked.buzzes.add((step.question, step.team))
                hall.acked.ack(ack)
            elif ack is not None:
                assert ack["error"] in ("paused", "answering", "had_turn"), ack
        time.sleep(0.05)


def run_step(hall: Hall, step: Step, pool: ThreadPoolExecutor) -> None:
    until = time.monotonic() + STEP_WAIT
    if step.kind == "answers":
        assert step.question is not None
        plan = answers_for(step.k)

        def team_sends(team: str) -> None:
            for value, nonce in plan[team]:
                send_until_acked(hall, team, str(step.question), value, nonce, until)

        futures = [pool.submit(team_sends, team) for team in TEAM_IDS]
        while not all(f.done() for f in futures):
            mc_act(hall, step)  # resumes the clock after a restart
            time.sleep(0.02)
        for f in futures:
            f.result()
        return
    if step.kind == "buzz":
        buzzer = pool.submit(buzz_until_won, hall, step, until)
        while not buzzer.done():
            mc_act(hall, step)
            time.sleep(0.02)
        buzzer.result()
        return
    while not step.done(hall.mc.view):
        assert time.monotonic() < until, f"step {step} not done; view {hall.mc.view}"
        mc_act(hall, step)
        if not step.done(hall.mc.view):
            time.sleep(0.02)


def play(contest: Path, data: Path, mode: str, kills: int, seed: int) -> dict[str, Any]:
    """Play the script, with `kills` SIGKILLs at random moments; the final record."""
    steps = script()
    rng = random.Random(seed)
    # Kill points spread over the script: (step index, delay after it begins).
    # Steps where answers are in flight weigh three times as much.
    # One falls in the buzzer question for sure (a buzz settling, a winner answering).
    weights = [3 if step.kind == "answers" else 1 for step in steps]
    buzzing = [i for i, step in enumerate(steps) if step.kind == "buzz" or step.command == "judge"]
    points = sorted(
        rng.choices(range(len(steps)), weights, k=kills - 1) + [rng.choice(buzzing)]
        if kills
        else []
    )
    plan = [
        (
            i,
            rng.uniform(*(ANSWER_KILL_DELAY if steps[i].kind == "answers" else KILL_DELAY)),
        )
        for i in points
    ]
    # The script does not move past a step before that step's kills are done
    # (a kill and restart takes longer than most steps).
    upto = [sum(1 for i, _ in plan if i <= index) for index in range(len(steps))]
    hall = Hall(contest, data, mode)
    progress = {"step": -1, "done": False, "kills": 0}
    moved = threading.Condition()
    killer_error: list[BaseException] = []
    at_kill: list[str] = []  # the step the script was in at each kill

    def killer() -> None:
        try:
            for index, delay in plan:
                with moved:
                    moved.wait_for(lambda i=index: progress["step"] >= i or progress["done"])
                time.sleep(delay)
                at_kill.append(str(steps[max(0, progress["step"])]))
                hall.crash_and_restart()
                with moved:
                    progress["kills"] += 1
                    moved.notify_all()
        except BaseException as exc:
            killer_error.append(exc)
            with moved:
                moved.notify_all()

    thread = threading.Thread(target=killer, name="killer", daemon=True)
    started = time.monotonic()
    try:
        hall.mc.wait(lambda v: sum(v["connections"].values()) == len(TEAM_IDS))
        thread.start()
        with ThreadPoolExecutor(len(TEAM_IDS)) as pool:
            for index, step in enumerate(steps):
                with moved:
                    progress["step"] = index
                    moved.notify_all()
                run_step(hall, step, pool)
                with moved:
                    moved.wait_for(
                        lambda i=index: progress["kills"] >= upto[i] or bool(killer_error),
                        timeout=STEP_WAIT,
                    )
                if killer_error:
                    raise killer_error[0]
                assert progress["kills"] >= upto[index], "the killer fell behind"
        with moved:
            progress["done"] = True
            moved.notify_all()
        thread.join(timeout=120)
        assert not thread.is_alive(), "the killer is stuck"
        if killer_error:
            raise killer_error[0]
        # The end: after the last restart, everything acknowledged is still there.
        with hall.lock:
            hall.server.kill()
            hall.check_durable()
        state = engine.replay(hall.contest, read_journal(hall.journal))
        connects = len(hall.mc.connects)
        hall.server = start_server(contest, data, mode, extra=["--port", str(hall.port)])
        deadline = time.monotonic() + 30
        while len(hall.mc.connects) == connects:  # the scores as the restarted server has them
            assert time.monotonic() < deadline, "the MC did not reconnect"
            time.sleep(0.01)
        view = hall.mc.wait(lambda v: v["v"] >= state.seq and v["phase"] == "revealed")
        for screen in hall.screens:  # every tablet back too, before they are closed
            while not screen.connected:
                assert time.monotonic() < deadline, f"{screen.name} did not reconnect"
                time.sleep(0.01)
        return {
            "scores": {row["team"]: (row["total"], row["correct"]) for row in view["scoreboard"]},
            "answers": {
                qid: {t: (r.value, r.nonce) for t, r in q.answers.items()}
                for qid, q in state.questions.items()
            },
            "buzz": [(a.team, a.verdict) for a in state.questions[BUZZ_Q].attempts],
            "restarts": hall.restarts,
            "restart_s": hall.restart_s,
            "acked": len(hall.acked.answers),
            "in_flight": hall.acked.in_flight,
            "kills_at": at_kill,
            "seconds": time.monotonic() - started,
        }
    finally:
        with moved:
            progress["done"] = True
            moved.notify_all()
        hall.close()


@pytest.fixture
def crashes(request: pytest.FixtureRequest) -> int:
    option = request.config.getoption("--crashes")
    return int(option if option is not None else os.environ.get("QUIZ_CRASHES", "20"))


def expected_scores() -> dict[str, tuple[int, int]]:
    """The script's scores, worked out by hand: 10 a right answer; buzz wrong -5."""
    totals = {t: [0, 0] for t in TEAM_IDS}
    for k, (_, right, _) in enumerate(ALL_ROUND):
        for team, sends in answers_for(k).items():
            if sends[-1][0] == right:
                totals[team][0] += 10
                totals[team][1] += 1
    totals[BUZZ_WRONG][0] -= 5
    totals[BUZZ_RIGHT][0] += 10
    totals[BUZZ_RIGHT][1] += 1
    return {t: (a, b) for t, (a, b) in totals.items()}


def test_sigkill_storm_loses_nothing_acknowledged(
    tmp_path: Path, async_mode: str, crashes: int
) -> None:
    assert crashes >= 0
    contest = write_contest(tmp_path / "contest")
    calm = play(contest, tmp_path / "calm", async_mode, 0, SEED)
    stormy = play(contest, tmp_path / "stormy", async_mode, crashes, SEED)
    restarts = stormy["restart_s"]
    print(
        f"\ncrash: {stormy['restarts']} SIGKILLs survived, {stormy['acked']} answers "
        f"acknowledged, {stormy['in_flight']} answers in flight at a kill (resent); "
        f"kills during: {'; '.join(stormy['kills_at'])}; restart + 18 screens back: "
        f"mean {sum(restarts) / max(1, len(restarts)):.2f} s, "
        f"max {max(restarts, default=0):.2f} s; "
        f"calm {calm['seconds']:.1f} s, stormy {stormy['seconds']:.1f} s"
    )
    assert stormy["restarts"] == crashes
    assert calm["scores"] == expected_scores()
    assert stormy["scores"] == calm["scores"]
    assert stormy["answers"] == calm["answers"]
    assert stormy["buzz"] == calm["buzz"] == [(BUZZ_WRONG, "wrong"), (BUZZ_RIGHT, "correct")]
