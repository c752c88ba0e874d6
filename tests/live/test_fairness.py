"""Fair timing under a bad network (issue 4, section 3).

Simulated tablets reach the real server through loopback proxies (tests/netem.py)
that delay every chunk: tablet A ("near") 5 ms each way, tablet B ("far")
150 ± 40 ms each way. Each tablet has a clock that is seconds wrong, estimates
its offset to the server with `sync` exactly as static/js/common.js does
(best round trip of the kept samples), and stamps each press with its estimate
of server time. The server measures each link itself with its pings.

- Presses made 20..60 ms apart, randomly which first, are ordered by press
  time at least 99% of the time, for the buzz winner and for the answer times
  of a `speed: ranked` round. How often plain arrival order (when the press
  reached the server, read off the proxy) gets it wrong is counted too.
- Every screen's countdown (computed as common.js's Countdown does) stays
  within ±50 ms of the server's.
- A tablet that stamps its presses seconds in the past gains at most what its
  measured round trip allows: the recorded press is never earlier than
  arrival - the server's trust in that link (its worst recent measured round
  trip, which the MC view shows as `trust`), and never later than arrival.

The tablets sync as a tablet does that has been on the hall's Wi-Fi for a few
minutes (see SYNC_MODE; QUIZ_FAIR_SYNC=js for a tablet that just connected).
A trial in which the harness itself (this process) stalled a press beyond the
simulated link is set aside and counted, never a trial the server got wrong.

Knobs: QUIZ_FAIR_TRIALS (default 500 of each kind), QUIZ_FAIR_WORKERS (buzz
trials run on this many servers at once, default 8: one winner per question
and each winner waits out the far link's round trip, so one server alone
would need ~0.8 s per trial).
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from clients import JS_RESYNC_S, JS_SYNC_BURST, Screen, Tablet, mc_do, write_generated_contest
from conftest import LiveServer, start_server
from netem import Delay, Frame, NetEm, Proxy

pytestmark = pytest.mark.live

NEAR = Delay(0.005, 0.0)
FAR = Delay(0.150, 0.040)
TRIALS = int(os.environ.get("QUIZ_FAIR_TRIALS", "500"))
WORKERS = max(1, int(os.environ.get("QUIZ_FAIR_WORKERS", "8")))
GAP = (0.020, 0.060)  # seconds between the two presses of a trial
REQUIRED = 0.99
LEAD = 0.25  # presses start this long after the MC opens (the far tablet has seen it)
SPREAD = 0.15  # the pairs of one question press within this window
COUNTDOWN_BOUND_MS = 50.0
TAP_TOLERANCE_MS = 5.0  # proxy release -> the server reading its clock, on loopback
SEED = int(os.environ.get("QUIZ_FAIR_SEED", "2023"))
PAIRS = 12  # near/far pairs answering each `all` question: 12 trials per question
# How the trial tablets sync their clocks: by default exactly as common.js does from
# a fresh connect (30 syncs 100 ms apart, then one every 2 s, best 5 kept), the worst
# case, right after a (re)connect. QUIZ_FAIR_SYNC=settled gives them the samples of a
# tablet that has been on the hall's Wi-Fi a while (30 syncs 50 ms apart).
SYNC_MODE = os.environ.get("QUIZ_FAIR_SYNC", "js")
TRIAL_SYNC = (JS_SYNC_BURST, JS_RESYNC_S) if SYNC_MODE == "js" else ((30, 0.05), 2.0)


# --- the hall ---------------------------------------------------------------------------


def fair_contest(
    folder: Path, teams: list[str], n_all: int, n_buzz: int, read_time: float = 0
) -> Path:
    """`all` questions scored by speed (ranked), then `buzzer` questions."""
    questions: list[dict[str, Any]] = []
    rounds: list[dict[str, Any]] = []
    all_ids = [f"a-{i:03d}" for i in range(n_all)]
    buzz_ids = [f"b-{i:03d}" for i in range(n_buzz)]
    for qid in all_ids + buzz_ids:
        questions.append(
            {"id": qid, "type": "true_false", "text": f"Câu {qid}: đúng hay sai?", "answer": True}
        )
    if all_ids:
        rounds.append(
            {
                "id": "toc-do",
                "title": "Câu hỏi chung tính tốc độ",
                "format": "all",
                "scoring": {"correct": "question", "speed": {"ranked": [40, 30, 20, 10]}},
                "questions": all_ids,
            }
        )
    if buzz_ids:
        rounds.append(
            {
                "id": "bam-chuong",
                "title": "Giành quyền trả lời",
                "format": "buzzer",
                "read_time": read_time,
                "early_buzz": "ignore",
                "rebound": False,
                "buzz_window": 20,
                "answer_time": 10,
                "questions": buzz_ids,
            }
        )
    return write_generated_contest(
        folder,
        "fair",
        [(t, f"Đội {t}") for t in teams],
        rounds,
        questions,
        {"time_limit": 30, "points": 10},
    )


@dataclass
class Hall:
    """A server, its MC (direct) and tablets behind their own proxies."""

    server: LiveServer
    net: NetEm
    mc: Tablet
    tablets: dict[str, Tablet] = field(default_factory=dict)
    proxies: dict[str, Proxy] = field(default_factory=dict)

    def close(self) -> None:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(Tablet.close, [self.mc, *self.tablets.values()]))
        self.net.close()
        self.server.stop()

    def wait_measured(self, timeout: float = 20.0) -> None:
        """Until every tablet has its sync samples and the server has had time to
        time every link (5 quick pings in the second after each connect)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = max(t.connects[-1] for t in self.tablets.values())
            synced = all(len(t.clock.samples) >= 5 for t in self.tablets.values())
            if synced and time.time() - last > 1.5:
                return
            time.sleep(0.05)
        raise AssertionError("tablets not synced in time")


def open_hall(
    tmp: Path,
    contest: Path,
    mode: str,
    profiles: dict[str, Delay],
    seed: int,
    sync: tuple[int, float] = JS_SYNC_BURST,
    resync: float = JS_RESYNC_S,
    boards: dict[str, Delay] | None = None,
    tap: bool | str = "up",
) -> Hall:
    """Start the server and connect a tablet per team through a tapped proxy."""
    server = start_server(contest, tmp / "data", mode)
    net = NetEm()
    rng = random.Random(seed)
    hall: Hall | None = None
    try:
        mc = Tablet(
            server.url,
            {"role": "mc", "pin": server.pin},
            "mc",
            skew_ms=rng.uniform(-9000, 9000),
            sync_burst=sync,
            resync_every=resync,
        )
        hall = Hall(server, net, mc)
        target = ("127.0.0.1", int(server.info["port"]))
        for name, delay in {**profiles, **(boards or {})}.items():
            proxy = net.proxy(target, delay, delay, tap=tap, seed=rng.randrange(2**32), name=name)
            auth = (
                {"role": "board"}
                if boards and name in boards
                else {"role": "team", "code": server.codes[name]}
            )
            hall.proxies[name] = proxy
            hall.tablets[name] = Tablet(
                proxy.url,
                auth,
                name,
                skew_ms=rng.uniform(-9000, 9000),  # each tablet's own clock is seconds off
                sync_burst=sync,
                resync_every=resync,
            )
        return hall
    except BaseException:
        if hall is not None:
            hall.close()
        else:
            net.close()
            server.stop()
        raise


# --- reading the taps ------------------------------------------------------------------


def socketio_message(text: str) -> tuple[str, int | None, Any] | None:
    """(packet type, ack id, data) of an Engine.IO "4" message frame, else None."""
    if not text.startswith("4") or len(text) < 2:
        return None
    kind = text[1]
    rest = text[2:]
    digits = ""
    while rest and rest[0].isdigit():
        digits, rest = digits + rest[0], rest[1:]
    try:
        data = json.loads(rest) if rest else None
    except ValueError:
        return None
    return kind, int(digits) if digits else None, data


def arrival_of(proxy: Proxy, event: str, question: str, after: float) -> float | None:
    """When the proxy handed the server `event` for `question` (the first after `after`)."""
    frame = frame_of(proxy, event, question, after)
    return frame.t_out if frame is not None else None


def frame_of(proxy: Proxy, event: str, question: str, after: float) -> Frame | None:
    """The frame that carried `event` for `question` to the server (the first after `after`)."""
    for frame in proxy.tapped("up"):
        if frame.t_out < after:
            continue
        msg = socketio_message(frame.text)
        if msg is None or msg[0] != "2" or not isinstance(msg[2], list) or len(msg[2]) < 2:
            continue
        name, payload = msg[2][0], msg[2][1]
        if name == event and isinstance(payload, dict) and payload.get("question") == question:
            return frame
    return None


def server_rtts(proxy: Proxy) -> list[float]:
    """Every round trip the server measured with its pings on this link, as the proxy
    saw it: the ping entering the proxy from the server -> its ack released to it."""
    pings: dict[tuple[int, int], float] = {}
    rtts: list[float] = []
    frames: list[Frame] = sorted(proxy.tapped(), key=lambda f: f.t_in)
    for frame in frames:
        msg = socketio_message(frame.text)
        if msg is None:
            continue
        kind, ack_id, data = msg
        key = (frame.conn, ack_id or -1)
        if frame.direction == "down" and kind == "2" and isinstance(data, list):
            if data and data[0] == "ping" and ack_id is not None:
                pings[key] = frame.t_in
        elif frame.direction == "up" and kind == "3" and key in pings:
            rtts.append(frame.t_out - pings.pop(key))
    return rtts


# --- presses ----------------------------------------------------------------------------------


# The harness (this process: the simulated tablets and the proxies) may itself stall
# on a loaded machine. A press it handed to its proxy late, or that its proxy
# released late, met a delay other than the simulated link's: such a trial measures
# the harness, not the server, and is set aside (counted). Delays on the server's
# side are not excused.
HARNESS_SLACK = 0.015  # seconds


def harness_stalled(press: Press, frame: Frame | None) -> bool:
    if frame is None:
        return True
    return frame.t_in - press.true > HARNESS_SLACK or frame.t_out - frame.due > HARNESS_SLACK


@dataclass
class Press:
    team: str
    true: float = 0.0  # when the simulated person pressed (true time, s)
    stamp: int = 0  # what the tablet sent as `press` (its estimate of server ms)
    ack: Any = None


def press_at(
    tablet: Tablet, at: float, event: str, payload: Callable[[int], dict[str, Any]]
) -> Press:
    """Sleep until `at`, then press: stamp with the tablet's estimate and send."""
    wait = at - time.time()
    if wait > 0:
        time.sleep(wait)
    true, stamp = tablet.stamp()
    press = Press(tablet.name, true, stamp)
    press.ack = tablet.request(event, payload(stamp), timeout=15.0)
    return press


def plan_gap(rng: random.Random) -> float:
    """far press - near press: 20..60 ms either way."""
    return rng.uniform(*GAP) * rng.choice((-1.0, 1.0))


@dataclass
class Tally:
    """Trials of one kind: how often press order and arrival order got it right."""

    kind: str
    trials: int = 0
    ours_right: int = 0
    arrival_right: int = 0
    void: int = 0  # the presses ended up < 20 ms apart (the test thread woke late)
    stalled: int = 0  # the harness delayed a press beyond the simulated link (see above)
    failures: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, first_true: str, ours: str | None, arrival: str | None, info: Any) -> None:
        with self.lock:
            self.trials += 1
            self.ours_right += ours == first_true
            self.arrival_right += arrival == first_true
            if ours != first_true and len(self.failures) < 20:
                self.failures.append(info)

    def summary(self) -> str:
        n = max(1, self.trials)
        return (
            f"{self.kind}: {self.trials} trials, press order right {self.ours_right / n:.2%}, "
            f"arrival order right {self.arrival_right / n:.2%} "
            f"(wrong {self.trials - self.arrival_right}); set aside: {self.void} presses < 20 ms "
            f"apart, {self.stalled} stalled by the harness"
        )


def trial_pair(rng: random.Random, base: float) -> tuple[float, float, float]:
    """(gap, near's press time, far's press time)."""
    gap = plan_gap(rng)
    return gap, base, base + gap


# --- the tests ----------------------------------------------------------------------------------


def pair_names(n: int) -> list[tuple[str, str]]:
    return [(f"n{i:02d}", f"f{i:02d}") for i in range(n)]


@pytest.fixture
def fairness_mode(async_mode: str) -> Iterator[str]:
    """The async mode, with the GIL handed over every 1 ms instead of 5 ms: the
    harness runs dozens of client threads and the proxies in this one process,
    and a press thread kept waiting for the GIL looks to the server like delay
    on the link."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    try:
        yield async_mode
    finally:
        sys.setswitchinterval(interval)


def opens_at(mc: Screen, qid: str) -> float:
    """When answering opens (s): a little ahead of the MC's command (docs/protocol.md
    "Opening time"), and a tablet presses only from then on, as team.js unlocks
    only then."""
    view = mc.wait(
        lambda v: v["question"]["id"] == qid and bool((v.get("clock") or {}).get("opens_at"))
    )
    return float(view["clock"]["opens_at"]) / 1000


def run_answer_trials(hall: Hall, pairs: list[tuple[str, str]], target: int, seed: int) -> Tally:
    """`speed: ranked`: every team answers right; per pair, whose answer time is smaller."""
    tally = Tally("answer time")
    rng = random.Random(seed)
    mc = hall.mc
    pool = ThreadPoolExecutor(max_workers=2 * len(pairs))
    try:
        while tally.trials < target:
            step = mc.view["next"]
            if step["command"] != "show":
                break  # out of questions
            qid = step["question"]
            mc_do(mc, "show", settle=False, question=qid)
            mc_do(mc, "open", settle=False, question=qid)
            opened = max(time.time(), opens_at(mc, qid))
            futures: dict[str, Future[Press]] = {}
            plans: dict[tuple[str, str], float] = {}
            for near, far in pairs:
                base = opened + LEAD + rng.uniform(0, SPREAD)
                gap, at_near, at_far = trial_pair(rng, base)
                plans[(near, far)] = gap
                for team, at in ((near, at_near), (far, at_far)):
                    futures[team] = pool.submit(
                        press_at,
                        hall.tablets[team],
                        at,
                        "answer",
                        lambda stamp, q=qid, t=team: {
                            "question": q,
                            "value": True,
                            "press": stamp,
                            "id": f"{t}-{q}",
                        },
                    )
            expected = len(futures)
            view = mc.wait(  # every answer recorded (the far tablets' acks still on their way)
                lambda v, q=qid, n=expected: (
                    v["question"]["id"] == q
                    and sum(1 for a in v["answers"] if a["time_ms"] is not None) == n
                )
            )
            mc_do(mc, "close", question=qid)
            presses = {team: f.result(timeout=30) for team, f in futures.items()}
            for press in presses.values():
                assert press.ack and press.ack["ok"], (qid, press)
            times = {a["team"]: a["time_ms"] for a in view["answers"]}
            for near, far in pairs:
                a, b = presses[near], presses[far]
                if abs(a.true - b.true) < GAP[0]:
                    tally.void += 1
                    continue
                fa = frame_of(hall.proxies[near], "answer", qid, opened)
                fb = frame_of(hall.proxies[far], "answer", qid, opened)
                if harness_stalled(a, fa) or harness_stalled(b, fb):
                    tally.stalled += 1
                    continue
                assert fa is not None and fb is not None
                first = near if a.true < b.true else far
                ours = (
                    near if times[near] < times[far] else far if times[far] < times[near] else None
                )
                arrival = near if fa.t_out < fb.t_out else far
                tally.add(
                    first,
                    ours,
                    arrival,
                    {
                        "q": qid,
                        "pair": (near, far),
                        "true_gap_ms": round((b.true - a.true) * 1000, 1),
                        "time_ms": (times[near], times[far]),
                        "clock_err_ms": (
                            round(hall.tablets[near].clock.error_ms, 1),
                            round(hall.tablets[far].clock.error_ms, 1),
                        ),
                    },
                )
            mc_do(mc, "reveal", question=qid)
            mc.wait(lambda v, q=qid: v["phase"] == "revealed" and v["question"]["id"] == q)
    finally:
        pool.shutdown(wait=True)
    return tally


def run_buzz_trials(hall: Hall, near: str, far: str, target: int, seed: int, tally: Tally) -> None:
    """One winner per question: the earlier press must win, whoever arrived first."""
    rng = random.Random(seed)
    mc = hall.mc
    done = 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        while done < target:
            step = mc.view["next"]
            if step["command"] != "show":
                break
            qid = step["question"]
            mc_do(mc, "show", settle=False, question=qid)
            mc_do(mc, "open", settle=False, question=qid)
            opened = time.time()
            base = opened + LEAD + rng.uniform(0, SPREAD)
            gap, at_near, at_far = trial_pair(rng, base)
            fn = pool.submit(
                press_at,
                hall.tablets[near],
                at_near,
                "buzz",
                lambda stamp, q=qid: {"question": q, "press": stamp},
            )
            ff = pool.submit(
                press_at,
                hall.tablets[far],
                at_far,
                "buzz",
                lambda stamp, q=qid: {"question": q, "press": stamp},
            )
            a, b = fn.result(timeout=30), ff.result(timeout=30)
            view = mc.wait(lambda v, q=qid: v["question"]["id"] == q and v["phase"] == "answering")
            winner = view["buzz"]["winner"]
            mc_do(mc, "judge", question=qid, team=winner, correct=True)
            mc_do(mc, "reveal", question=qid)
            mc.wait(lambda v, q=qid: v["phase"] == "revealed" and v["question"]["id"] == q)
            if abs(a.true - b.true) < GAP[0]:
                with tally.lock:
                    tally.void += 1
                continue
            fa = frame_of(hall.proxies[near], "buzz", qid, opened)
            fb = frame_of(hall.proxies[far], "buzz", qid, opened)
            if harness_stalled(a, fa) or harness_stalled(b, fb):
                with tally.lock:
                    tally.stalled += 1
                continue
            assert fa is not None and fb is not None
            done += 1
            first = near if a.true < b.true else far
            tally.add(
                first,
                winner,
                near if fa.t_out < fb.t_out else far,
                {
                    "q": qid,
                    "true_gap_ms": round((b.true - a.true) * 1000, 1),
                    "arrival_gap_ms": round((fb.t_out - fa.t_out) * 1000, 1),
                    "order": view["buzz"]["order"],
                    "acks": (a.ack, b.ack),
                    "clock_err_ms": (
                        round(hall.tablets[near].clock.error_ms, 1),
                        round(hall.tablets[far].clock.error_ms, 1),
                    ),
                },
            )


def report(tally: Tally, started: float) -> None:
    print(f"\n{tally.summary()}; sync {SYNC_MODE}; {time.monotonic() - started:.1f} s")
    for failure in tally.failures[:5]:
        print("  misordered:", failure)


def test_answer_times_follow_press_order_not_arrival(tmp_path: Path, fairness_mode: str) -> None:
    started = time.monotonic()
    pairs = pair_names(PAIRS)
    teams = [t for pair in pairs for t in pair]
    n_questions = TRIALS // len(pairs) + 12  # spares for trials set aside
    contest = fair_contest(tmp_path / "contest", teams, n_questions, 0)
    profiles = {t: (NEAR if t.startswith("n") else FAR) for t in teams}
    sync, resync = TRIAL_SYNC
    hall = open_hall(tmp_path, contest, fairness_mode, profiles, SEED, sync, resync)
    try:
        hall.wait_measured()
        mc_do(hall.mc, "start_round")
        tally = run_answer_trials(hall, pairs, TRIALS, SEED)
    finally:
        hall.close()
    report(tally, started)
    assert tally.trials >= TRIALS
    assert tally.ours_right / tally.trials >= REQUIRED, tally.failures


def test_buzz_winner_follows_press_order_not_arrival(tmp_path: Path, fairness_mode: str) -> None:
    started = time.monotonic()
    per_worker = -(-TRIALS // WORKERS)
    tally = Tally("buzz winner")
    halls: list[Hall] = []
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            # Spare questions: a trial the harness itself stalled is set aside
            # and another question is played instead (a loaded machine stalls
            # more: one whole CI-style run set aside 1,120 of 1,712 under
            # threading, and ran out of questions at 408 counted trials).
            contest = fair_contest(
                tmp_path / f"contest-{index}", ["near", "far"], 0, 5 * per_worker + 25
            )
            hall = open_hall(
                tmp_path / f"hall-{index}",
                contest,
                fairness_mode,
                {"near": NEAR, "far": FAR},
                SEED + index,
                *TRIAL_SYNC,
            )
            halls.append(hall)
            hall.wait_measured()
            mc_do(hall.mc, "start_round")
            run_buzz_trials(hall, "near", "far", per_worker, SEED + 100 + index, tally)
        except BaseException as exc:  # reported below, after every hall is closed
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=900)
    finally:
        for hall in halls:
            hall.close()
    report(tally, started)
    if errors:
        raise errors[0]
    assert tally.trials >= TRIALS
    assert tally.ours_right / tally.trials >= REQUIRED, tally.failures


def test_every_countdown_stays_within_50_ms_of_the_server(
    tmp_path: Path, fairness_mode: str
) -> None:
    """Tablets and boards near and far, the MC direct, syncing exactly as common.js
    does (30 syncs 100 ms apart on connect, then every 2 s): what each shows as
    remaining time (Countdown.remaining) is compared with the server's at the
    same instant, whenever the screen holds the current state."""
    started = time.monotonic()
    contest = fair_contest(tmp_path / "contest", ["near", "far"], 2, 1, read_time=3)
    hall = open_hall(
        tmp_path,
        contest,
        fairness_mode,
        {"near": NEAR, "far": FAR},
        SEED,
        boards={"board-near": NEAR, "board-far": FAR},
    )
    screens = {"mc": hall.mc, **hall.tablets}
    errors: dict[str, list[float]] = {name: [] for name in screens}
    current = {"v": -1}

    def sample(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for name, screen in screens.items():
                view = screen.view
                clock = view.get("clock")
                if view.get("v") != current["v"] or not clock:
                    continue  # this screen has not received the current state yet
                shown = screen.clock.remaining(clock)
                if clock["running"] and clock["deadline"] is not None:
                    # docs/protocol.md "Opening time": min(limit, deadline - now); the
                    # whole limit until `opens_at` (answering opened ahead, --workers)
                    left = clock["deadline"] - time.time() * 1000
                    truth = max(0.0, min(float(clock.get("limit_ms") or left), left))
                else:
                    truth = float(clock["remaining_ms"])
                assert shown is not None
                if 0 < truth and 0 < shown:  # at 0 both show time up
                    errors[name].append(shown - truth)
            time.sleep(0.03)

    def do(name: str, **fields: Any) -> None:
        current["v"] = mc_do(hall.mc, name, **fields)["v"]

    try:
        hall.wait_measured()
        do("start_round")
        for _ in range(2):
            qid = hall.mc.view["next"]["question"]
            do("show", question=qid)
            do("open", question=qid)
            sample(1.5)
            do("pause", question=qid)
            sample(0.6)
            do("resume", question=qid)
            sample(0.8)
            do("add_time", question=qid, seconds=7)
            sample(0.8)
            do("close", question=qid)
            do("reveal", question=qid)
        do("start_round")  # the buzzer round: a reading clock, then the buzzers'
        qid = hall.mc.view["next"]["question"]
        do("show", question=qid)
        sample(1.2)
        do("open", question=qid)
        sample(1.0)
        assert hall.tablets["near"].request("buzz", {"question": qid})["ok"]
        view = hall.mc.wait(lambda v: v["phase"] == "answering")
        current["v"] = view["v"]
        sample(1.0)
    finally:
        hall.close()
    worst = {name: max((abs(e) for e in errs), default=0.0) for name, errs in errors.items()}
    counts = {name: len(errs) for name, errs in errors.items()}
    print(
        f"\ncountdown error max |ms| by screen: { {k: round(v, 1) for k, v in worst.items()} }, "
        f"samples {counts}; {time.monotonic() - started:.1f} s"
    )
    assert all(n >= 20 for n in counts.values()), counts
    assert max(worst.values()) <= COUNTDOWN_BOUND_MS, worst


def test_a_lying_tablet_gains_no_more_than_its_measured_delay(
    tmp_path: Path, fairness_mode: str
) -> None:
    """Tablets that stamp their presses 5 s in the past (or in the future): the
    recorded press is never earlier than arrival - the worst round trip the server
    measured on that link, never later than arrival; an honest tablet that pressed
    earlier than that margin still wins the buzz."""
    started = time.monotonic()
    teams = ["honest-near", "honest-far", "liar-near", "liar-far"]
    contest = fair_contest(tmp_path / "contest", teams, 2, 2)
    profiles = {t: (NEAR if t.endswith("near") else FAR) for t in teams}
    hall = open_hall(tmp_path, contest, fairness_mode, profiles, SEED, tap=True)
    mc = hall.mc
    tol = TAP_TOLERANCE_MS
    gains: list[tuple[str, float, float, float]] = []

    def tap_rtt_ms(team: str) -> float:
        rtts = server_rtts(hall.proxies[team])
        assert rtts, team
        return max(rtts) * 1000

    def trust_ms(team: str, since: float) -> float:
        """The server's trust in this team's link, as the MC views pushed since `since`
        showed it (each push follows an event at once, so it shows the trust used)."""
        with mc._lock:
            seen = [v.get("trust", {}).get(team) for t, v in mc.timeline if t >= since]
        values = [x for x in seen if x is not None]
        assert values, (team, "no MC view with its trust")
        return float(max(values))

    def check(
        team: str, qid: str, event: str, recorded_ms: float, true_s: float, since: float
    ) -> None:
        arrival = arrival_of(hall.proxies[team], event, qid, 0.0)
        assert arrival is not None
        arrival_ms = arrival * 1000
        bound = trust_ms(team, since)
        assert bound <= 1000  # MAX_TRUST
        assert recorded_ms >= arrival_ms - bound - tol, (team, qid, recorded_ms, arrival_ms, bound)
        assert recorded_ms <= arrival_ms + tol, (team, qid, recorded_ms, arrival_ms)
        gains.append((f"{team} {event}", true_s * 1000 - recorded_ms, bound, tap_rtt_ms(team)))

    try:
        hall.wait_measured()
        mc_do(mc, "start_round")
        for lie_ms in (-5000, +5000):  # in the past, then in the future
            qid = mc.view["next"]["question"]
            mc_do(mc, "show", settle=False, question=qid)
            mc_do(mc, "open", settle=False, question=qid)
            clock = mc.wait(lambda v: v["phase"] == "open")["clock"]
            start_ms = clock["opened_at"]
            since = time.time()
            time.sleep(1.0)
            presses: dict[str, Press] = {}
            for team in ("liar-near", "liar-far"):
                true, stamp = hall.tablets[team].stamp()
                payload = {"question": qid, "value": True, "press": stamp + lie_ms, "id": "x"}
                presses[team] = Press(
                    team, true, stamp, hall.tablets[team].request("answer", payload)
                )
                assert presses[team].ack["ok"], presses[team]
            view = mc.wait(lambda v: sum(1 for a in v["answers"] if a["time_ms"] is not None) == 2)
            recorded = {a["team"]: a["time_ms"] for a in view["answers"]}
            for team, press in presses.items():
                check(team, qid, "answer", start_ms + recorded[team], press.true, since)
            mc_do(mc, "close", question=qid)
            mc_do(mc, "reveal", question=qid)
            mc.wait(lambda v, q=qid: v["phase"] == "revealed" and v["question"]["id"] == q)
        mc_do(mc, "start_round")
        # Buzz. A far liar pressing 50 ms after an honest near tablet, stamped 5 s
        # early: it gains what its link allows (the recorded press is bounded), and
        # may win by it. A near liar pressing later than an honest far tablet by
        # more than its own (small) round trip cannot win.
        for honest, liar, must_win in (
            ("honest-near", "liar-far", False),
            ("honest-far", "liar-near", True),
        ):
            qid = mc.view["next"]["question"]
            mc_do(mc, "show", settle=False, question=qid)
            mc_do(mc, "open", settle=False, question=qid)
            clock = mc.wait(lambda v: v["phase"] == "open")["clock"]
            start_ms = clock["opened_at"]
            since = time.time()
            later = trust_ms(liar, 0.0) / 1000 + 0.05 if must_win else 0.05
            t0 = time.time() + LEAD
            with ThreadPoolExecutor(2) as pool:
                fh = pool.submit(
                    press_at,
                    hall.tablets[honest],
                    t0,
                    "buzz",
                    lambda stamp, q=qid: {"question": q, "press": stamp},
                )
                fl = pool.submit(
                    press_at,
                    hall.tablets[liar],
                    t0 + later,
                    "buzz",
                    lambda stamp, q=qid: {"question": q, "press": stamp - 5000},
                )
                fh.result(timeout=30)
                lie = fl.result(timeout=30)
            view = mc.wait(lambda v, q=qid: v["phase"] == "answering" and v["question"]["id"] == q)
            order = {row["team"]: row["time_ms"] for row in view["buzz"]["order"]}
            assert set(order) == {honest, liar}, view["buzz"]
            check(liar, qid, "buzz", start_ms + order[liar], lie.true, since)
            winner = view["buzz"]["winner"]
            assert winner == view["buzz"]["order"][0]["team"]  # the earliest recorded press
            if must_win:
                assert winner == honest, view["buzz"]
            mc_do(mc, "judge", question=qid, team=winner, correct=True)
            mc_do(mc, "reveal", question=qid)
            mc.wait(lambda v, q=qid: v["phase"] == "revealed" and v["question"]["id"] == q)
    finally:
        hall.close()
    print("\nliars: what, gain ms, server's trust ms, worst round trip seen on the wire ms")
    for what, gain, bound, wire in gains:
        print(f"  {what}: gained {gain:.0f}, trust {bound:.0f}, wire {wire:.0f}")
    print(f"  {time.monotonic() - started:.1f} s")
    for _what, gain, bound, _wire in gains:
        assert gain <= bound + TAP_TOLERANCE_MS
