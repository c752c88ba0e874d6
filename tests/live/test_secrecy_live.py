"""Secrecy over real sockets: no frame to a team or the board gives away an answer
before the MC reveals it.

A generated contest asks every question type (single, multiple, true_false,
text, number, order) in an `all` round and again in a `buzzer` round (answers
on the tablet, a reading clock, rebounds). Each question carries unique
markers: its explanation and source, a text answer like "zq-bí-mật-...", a
number answer like 987654.321 (also as the screens write it, 987.654,321). The
MC walks every phase (shown, open, paused, time added, answering, closed,
revealed; the scoreboard in between), teams answer (never typing a marker),
buzz early, buzz, answer wrong, and a tablet drops and reconnects mid-question
(its connect view is checked too). A `turns` round follows (answers on the
tablet, the star placed from a tablet, every question missed and stolen
wrong), whose package and steal parts are checked the same way, then a
`number` question in a `tiebreak` round of mode `closest` (three teams
selected, one not playing). Every frame each team tablet and the board
received is then checked:

- no `key`, no `answers`, no `reveal`, no `result` before the question's reveal;
- no correctness anywhere (`correct` only as the scoreboard's count of earlier
  answers; in a buzzer round the judged `verdict` is public, as the MC says it
  aloud);
- no marker of any question not yet revealed, in the frame serialised;
- no reviewer note (`note`) ever, revealed or not;
- and, as a control, the markers do appear once revealed.
The HTML pages are checked for markers too.

The contest has a jury that approves corrections and takes appeals: after
each reveal of the `all` round a team appeals and the jury rejects it, and
during each question the MC proposes a hand-set answer the jury rejects; a
tablet's appeal on a question not yet revealed is refused. None of it gives
anything away, the jury's views (which carry the key) reach no other screen,
and a tablet sees only its own appeals.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from clients import Screen, Tablet, mc_do, write_generated_contest
from conftest import LiveServer, start_server

pytestmark = pytest.mark.live

TEAMS = ["t1", "t2", "t3", "t4"]
TYPES = ["single", "multiple", "true_false", "text", "number", "order"]
CHOICES = {"A": "Một", "B": "Hai", "C": "Ba", "D": "Bốn"}


def question(qid: str, kind: str, buzzer: bool) -> dict[str, Any]:
    q: dict[str, Any] = {
        "id": qid,
        "type": kind,
        "text": f"Câu hỏi {qid} ({kind})?",
        "explanation": f"zq-giải-thích-{qid}",
        "source": f"zq-nguồn-{qid}",
        "note": f"zq-ghi-chú-{qid}",
    }
    if kind == "single":
        q.update(choices=CHOICES, answer="B" if buzzer else "C")
    elif kind == "multiple":
        q.update(choices=CHOICES, answer=["A", "C"] if buzzer else ["B", "D"])
    elif kind == "true_false":
        q.update(answer=buzzer)
    elif kind == "text":
        q.update(answer=[f"zq-bí-mật-{qid}", f"zq-cũng-đúng-{qid}"])
    elif kind == "number":
        q.update(answer=123987.654 if buzzer else 987654.321, unit="đồng")
    else:
        q.update(items=CHOICES, answer=["D", "B", "A", "C"] if buzzer else ["C", "A", "D", "B"])
    return q


def markers(q: dict[str, Any]) -> list[str]:
    """Strings that appear in no frame until the question is revealed."""
    out = [q["explanation"], q["source"]]
    if q["type"] == "text":
        out += list(q["answer"])
    if q["type"] == "number":
        number = q["answer"]
        whole, _, frac = f"{number}".partition(".")
        out += [f"{number}", f"{int(whole):,}".replace(",", ".") + "," + frac]
    return out


# What teams send: never a marker. (value right?, value wrong) by type
SAFE_ANSWERS: dict[str, tuple[Any, Any]] = {
    "single": ("C", "A"),
    "multiple": (["B", "D"], ["A"]),
    "true_false": (False, True),  # the `all` question's key is false
    "text": ("sai-rồi", "cũng-sai"),
    "number": (1.5, 2),
    "order": (["C", "A", "D", "B"], ["A", "B", "C", "D"]),
}


@pytest.fixture
def hall(tmp_path: Path, async_mode: str) -> Iterator[tuple[LiveServer, dict[str, Any]]]:
    questions = [question(f"a-{k}", k, False) for k in TYPES] + [
        question(f"b-{k}", k, True) for k in TYPES
    ]
    turns = [question(f"c-{k}", k, False) for k in TYPES]
    for q in turns:
        if q["type"] == "number":
            q["answer"] = 555444.333  # its own marker, not the `all` round's number
    questions += turns
    closest = question("d-number", "number", False)
    closest["answer"] = 444333.222  # a tiebreak round's `closest` question: markers of its own
    questions.append(closest)
    rounds = [
        {
            "id": "chung",
            "title": "Câu hỏi chung",
            "format": "all",
            "allow_change": True,
            "questions": [f"a-{k}" for k in TYPES],
        },
        {
            "id": "chuong",
            "title": "Giành quyền trả lời",
            "format": "buzzer",
            "read_time": 3,
            "answer_on": "tablet",
            "buzz_window": 20,
            "answer_time": 20,
            "questions": [f"b-{k}" for k in TYPES],
        },
        {
            "id": "goi",
            "title": "Câu hỏi riêng",
            "format": "turns",
            "assign": "in_order",
            "answer_on": "tablet",
            "star": {"enabled": True},
            "steal": {"enabled": True, "window": 20, "answer_time": 20, "take_from_owner": True},
            "packages": [
                {"id": "g1", "questions": ["c-single", "c-multiple"]},
                {"id": "g2", "questions": ["c-true_false"]},
                {"id": "g3", "questions": ["c-text", "c-number"]},
                {"id": "g4", "questions": ["c-order"]},
            ],
        },
        {
            "id": "phu",
            "title": "Câu hỏi phụ",
            "format": "tiebreak",
            "mode": "closest",
            "questions": ["d-number"],
        },
    ]
    path = write_generated_contest(
        tmp_path / "contest", "bi-mat", [(t, f"Đội {t}") for t in TEAMS], rounds, questions
    )
    path.write_text(
        path.read_text(encoding="utf-8")
        + "jury: {approve_corrections: true, appeals: true, appeal_window: 600}\n",
        encoding="utf-8",
    )
    server = start_server(path, tmp_path / "data", async_mode)
    try:
        yield server, {q["id"]: q for q in questions}
    finally:
        server.stop()


def walk(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str, Any]]:
    """Every (path, key, value) of a JSON value."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for item in node:
            yield from walk(item, (*path, "[]"))


# Keys that would carry an answer or its judgement, and the only places they may
# appear before a reveal: the scoreboard's count of earlier correct answers, the
# round's scoring settings, a question's worth, and option letters.
SECRET_KEYS = {"correct", "points", "key", "explanation", "source", "results", "result"}
PUBLIC = {
    ("correct", ("scoreboard", "[]")),
    ("correct", ("round", "settings")),
    ("points", ("question",)),
    ("key", ("question", "choices", "[]")),
    ("key", ("question", "items", "[]")),
    ("result", ()),  # the team view's slot: checked to be None above
    # A buzzer verdict is public (the MC says it aloud), and so are the points it
    # scores and any score change shown as a notice (a change to a question not
    # yet revealed carries no points: quiz/notices.py).
    ("points", ("buzz", "attempts", "[]")),
    ("points", ("buzz", "scored", "[]")),
    ("points", ("buzz", "outcome")),
    ("points", ("notices", "[]")),
    ("points", ("notices", "[]", "points_by_team", "[]")),
    # turns: a package's points so far count revealed questions only; its
    # questions' worth; the star's and the steal's multipliers.
    ("points", ("turns", "order", "[]")),
    ("points", ("turns", "packages", "[]")),
    ("correct", ("turns", "settings", "star")),
    ("correct", ("turns", "settings", "steal")),
}


def check_frames(
    screen: Screen, questions: dict[str, dict[str, Any]], revealed_order: list[str]
) -> dict[str, int]:
    """Check every frame of one screen; returns counts of what it saw."""
    counts: dict[str, int] = {"frames": 0, "before_reveal": 0, "revealed_with_markers": 0}
    revealed: set[str] = set()
    for event, frame in screen.frames:
        if event != "state":
            continue
        counts["frames"] += 1
        q = (frame.get("question") or {}).get("id")
        phase = frame["phase"]
        if q and phase == "revealed":
            revealed.add(q)
        text = json.dumps(frame, ensure_ascii=False)
        for qid, data in questions.items():
            # A reviewer's note reaches no team or board, not even after reveal.
            assert data["note"] not in text, (screen.name, qid, phase, frame["v"])
            if qid in revealed:
                continue
            for marker in markers(data):
                assert marker not in text, (screen.name, qid, marker, phase, frame["v"])
        assert "key" not in frame and "answers" not in frame, (screen.name, frame)
        if q and phase == "revealed":
            assert frame["reveal"] is not None and frame["reveal"]["key"] is not None
            if all(m in text for m in markers(questions[q])):
                counts["revealed_with_markers"] += 1
            continue
        counts["before_reveal"] += 1
        assert frame["reveal"] is None, (screen.name, frame)
        assert frame.get("result") is None, (screen.name, frame)
        for path, key, _value in walk(frame):
            if key in SECRET_KEYS:
                assert (key, path) in PUBLIC, (screen.name, path, key, frame["v"])
    return counts


def test_no_frame_gives_an_answer_away_before_reveal(
    hall: tuple[LiveServer, dict[str, Any]],
) -> None:
    server, questions = hall
    mc = Tablet(server.url, {"role": "mc", "pin": server.pin}, "mc")
    jury = Tablet(server.url, {"role": "jury", "pin": server.info["jury_pin"]}, "jury")
    board = Tablet(server.url, {"role": "board"}, "board")
    with ThreadPoolExecutor(4) as pool:
        teams = dict(
            zip(
                TEAMS,
                pool.map(
                    lambda t: Tablet(server.url, {"role": "team", "code": server.codes[t]}, t),
                    TEAMS,
                ),
                strict=True,
            )
        )
    screens: list[Tablet] = [board, *teams.values()]
    late: list[Tablet] = []
    revealed: list[str] = []

    def everyone_at(v: int) -> None:
        for screen in [mc, *screens]:
            if screen.connected:
                screen.wait(lambda view: view["v"] >= v)

    def step(name: str, **fields: Any) -> dict[str, Any]:
        ack = mc_do(mc, name, **fields)
        everyone_at(ack["v"])
        return ack

    def jury_do(name: str, **fields: Any) -> None:
        ack = jury.request("jury", {"name": name, **fields})
        assert ack and ack["ok"], ack
        everyone_at(ack["v"])

    appeals = 0
    proposals = 0

    def reconnect(team: str) -> None:
        """The team's tablet drops; a new one joins mid-question (its connect view)."""
        teams[team].drop()
        # The same tablet (its device id) back on a new connection before the
        # server noticed the drop: it is not made to wait (docs/protocol.md).
        auth = {"role": "team", "code": server.codes[team], "device": teams[team].auth["device"]}
        fresh = Tablet(server.url, auth, f"{team}-again")
        late.append(fresh)

    try:
        step("start_round")
        step("scoreboard", show=True)
        for kind in TYPES:  # the `all` round
            qid = f"a-{kind}"
            step("show", question=qid)
            refused = teams["t1"].request("answer", {"question": qid, "value": "A", "id": "x"})
            assert refused["ok"] is False  # not open yet
            step("open", question=qid)
            early_appeal = teams["t2"].request("appeal", {"question": qid, "text": "Sớm quá"})
            assert early_appeal["error"] == "not_revealed", early_appeal
            # a correction the jury must approve, on the question not yet revealed
            step("set_answer", question=qid, team="t4", reason="Đội giơ bảng giấy", correct=True)
            proposals += 1
            jury_do("review", id=proposals, approve=False, reason="Không có căn cứ")
            right, wrong = SAFE_ANSWERS[kind]
            for i, team in enumerate(TEAMS[:3]):
                value = right if i % 2 == 0 else wrong
                ack = teams[team].request("answer", {"question": qid, "value": value, "id": team})
                assert ack and ack["ok"], ack
            # Answers push only the board, the MC and the answering team (coalesced).
            view = mc.wait(lambda v: sum(1 for a in v["answers"] if a["answer"]) == 3)
            board.wait(lambda v, n=view["v"]: v["v"] >= n)
            step("pause", question=qid)
            if kind == "text":
                reconnect("t2")
            step("resume", question=qid)
            step("add_time", question=qid, seconds=5)
            step("close", question=qid)  # the raised boards
            time.sleep(0.05)
            step("reveal", question=qid)
            revealed.append(qid)
            appealed = teams["t1"].request("appeal", {"question": qid, "text": "Xin xem lại"})
            assert appealed["ok"], appealed
            everyone_at(appealed["v"])
            appeals += 1
            jury_do("decide_appeal", id=appeals, accept=False, reason="Đáp án đã đúng quy chế")
            step("scoreboard", show=True)
        step("start_round")  # the buzzer round
        for kind in TYPES:
            qid = f"b-{kind}"
            step("show", question=qid)  # the reading clock runs
            early = teams["t4"].request("buzz", {"question": qid})
            assert early["ok"] and early["status"] == "locked_out"
            step("open", question=qid)
            assert teams["t1"].request("buzz", {"question": qid})["status"] == "buzzed"
            view = mc.wait(lambda v: v["phase"] == "answering")
            everyone_at(view["v"])
            if kind == "number":
                reconnect("t3")
            _, wrong = SAFE_ANSWERS[kind]
            if kind == "true_false":
                wrong = False  # the buzzer question's key is true
            ack = teams["t1"].request("answer", {"question": qid, "value": wrong, "id": "w"})
            assert ack and ack["ok"], ack
            view = mc.wait(lambda v: v["phase"] == "open" and v["buzz"]["opening"] == 2)
            everyone_at(view["v"])
            assert teams["t2"].request("buzz", {"question": qid})["status"] == "buzzed"
            view = mc.wait(lambda v: v["phase"] == "answering")
            everyone_at(view["v"])
            step("judge", question=qid, team="t2", correct=False)
            step("close", question=qid)
            step("reveal", question=qid)
            revealed.append(qid)
        step("start_round")  # the turns round
        step("turns_order")
        assert teams["t1"].request("star", {})["ok"]
        for owner, kinds in (
            ("t1", TYPES[:2]),
            ("t2", TYPES[2:3]),
            ("t3", TYPES[3:5]),
            ("t4", TYPES[5:]),
        ):
            for kind in kinds:
                qid = f"c-{kind}"
                step("show", question=qid)
                step("open", question=qid)
                _, wrong = SAFE_ANSWERS[kind]
                ack = teams[owner].request("answer", {"question": qid, "value": wrong, "id": "w"})
                assert ack and ack["ok"], ack
                view = mc.wait(lambda v: v["next"]["command"] == "turns_steal")
                everyone_at(view["v"])
                step("turns_steal", question=qid)
                thief = "t4" if owner != "t4" else "t1"
                assert teams[thief].request("buzz", {"question": qid})["status"] == "buzzed"
                view = mc.wait(lambda v: v["phase"] == "answering")
                everyone_at(view["v"])
                ack = teams[thief].request("answer", {"question": qid, "value": wrong, "id": "s"})
                assert ack and ack["ok"], ack
                view = mc.wait(lambda v: v["phase"] == "closed")
                everyone_at(view["v"])
                step("reveal", question=qid)
                revealed.append(qid)
        # The tiebreak round (closest): the MC selects three teams; t4 does not play.
        step("start_round")
        step("tiebreak_select", groups=[["t1", "t2", "t3"]])
        step("show", question="d-number")
        step("open", question="d-number")
        refused = teams["t4"].request("answer", {"question": "d-number", "value": 2, "id": "n"})
        assert refused["ok"] is False and refused["error"] == "not_playing"
        for team, value in (("t1", 1.5), ("t2", 2)):
            ack = teams[team].request("answer", {"question": "d-number", "value": value, "id": "d"})
            assert ack and ack["ok"], ack
        view = mc.wait(lambda v: sum(1 for a in v["answers"] if a["answer"]) == 2)
        board.wait(lambda v, n=view["v"]: v["v"] >= n)
        step("close", question="d-number")
        step("reveal", question="d-number")
        revealed.append("d-number")
        # The HTML pages carry no marker either.
        for page in ("/", "/board", "/team", f"/t/{server.codes['t1']}", "/jury"):
            with urllib.request.urlopen(server.url + page, timeout=10) as response:
                html = response.read().decode("utf-8")
            for data in questions.values():
                for marker in [*markers(data), data["note"]]:
                    assert marker not in html, (page, marker)
    finally:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(Tablet.close, [mc, jury, *screens, *late]))

    totals: dict[str, int] = {}
    for screen in [*screens, *late]:
        counts = check_frames(screen, questions, revealed)
        for key, n in counts.items():
            totals[key] = totals.get(key, 0) + n
        if screen in screens and screen.name != "t2":  # t2's first tablet left mid-round
            assert counts["revealed_with_markers"] >= 1, (screen.name, counts)
    # The jury's room reaches the jury only; a tablet holds its own appeals only.
    for screen in [mc, *screens, *late]:
        for event, frame in screen.frames:
            if event == "state":
                assert frame["role"] != "jury" and "timings" not in frame, screen.name
                for appeal in frame.get("my_appeals") or []:
                    assert screen.name.startswith("t1"), (screen.name, appeal)
    assert any(v.get("key") for v in jury.views), "the jury's view carries the key"
    assert len(jury.view["appeals"]) == appeals == len(TYPES)
    assert teams["t1"].views[-1]["my_appeals"][0]["status"] == "rejected"
    mc_keys = [v for v in mc.views if v.get("key")]
    assert mc_keys, "the MC view carries the key (the control for `key` above)"
    assert any(str(v["key"].get("note", "")).startswith("zq-ghi-chú-") for v in mc_keys)
    print(
        f"\nsecrecy: {totals['frames']} frames to {len(screens) + len(late)} screens, "
        f"{totals['before_reveal']} before a reveal, none with the answer"
    )


# Rung chuông vàng: the players' phones ------------------------------------------------

PLAYERS = ["001", "002", "003", "004"]


@pytest.fixture
def rcv_hall(tmp_path: Path, async_mode: str) -> Iterator[tuple[LiveServer, dict[str, Any]]]:
    import yaml

    questions = [question(f"e-{k}", k, False) for k in TYPES] + [
        question("e-cuu", "true_false", True)
    ]
    rounds = [
        {
            "id": "rcv",
            "title": "Rung chuông vàng",
            "format": "elimination",
            "questions": [f"e-{k}" for k in TYPES],
            "rescue": {"max": 1, "when_below": 10, "modes": ["question"], "questions": ["e-cuu"]},
            "play_to_end": True,
        }
    ]
    path = write_generated_contest(
        tmp_path / "contest", "bi-mat-rcv", [(t, f"Đội {t}") for t in TEAMS], rounds, questions
    )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["players"] = [{"number": n, "name": f"Thí sinh {n}", "team": "t1"} for n in PLAYERS]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    server = start_server(path, tmp_path / "data", async_mode)
    try:
        yield server, {q["id"]: q for q in questions}
    finally:
        server.stop()


def test_no_frame_to_a_phone_gives_an_answer_away_before_reveal(
    rcv_hall: tuple[LiveServer, dict[str, Any]],
) -> None:
    server, questions = rcv_hall
    codes = server.info["player_codes"]
    mc = Tablet(server.url, {"role": "mc", "pin": server.pin}, "mc")
    board = Tablet(server.url, {"role": "board"}, "board")
    phones = {n: Tablet(server.url, {"role": "player", "code": codes[n]}, n) for n in PLAYERS}
    tablet = Tablet(server.url, {"role": "team", "code": server.codes["t1"]}, "t1")
    screens = [board, tablet, *phones.values()]
    revealed: list[str] = []

    def step(name: str, **fields: Any) -> None:
        ack = mc_do(mc, name, **fields)
        for screen in [mc, *screens]:
            screen.wait(lambda view: view["v"] >= ack["v"])

    try:
        step("start_round")
        for i, kind in enumerate(TYPES):
            qid = f"e-{kind}"
            step("show", question=qid)
            step("open", question=qid)
            right, wrong = SAFE_ANSWERS[kind]
            # 001 always right, the others wrong from the third question: few stay.
            for n, phone in phones.items():
                if phone.view.get("status") == "out":
                    refused = phone.request("answer", {"question": qid, "value": right, "id": "x"})
                    assert refused["error"] == "eliminated"
                    continue
                value = right if n == "001" or i < 2 else wrong
                ack = phone.request("answer", {"question": qid, "value": value, "id": qid})
                assert ack and ack["ok"], ack
            # A phone's own answer comes back to it, and no verdict with it.
            phones["001"].wait(lambda v, q=qid: (v.get("my_answer") or {}).get("nonce") == q)
            step("close", question=qid)
            step("reveal", question=qid)
            revealed.append(qid)
            if i == 2:  # three left the floor: the rescue question, only for them
                step("rescue", mode="question")
                step("open", question="e-cuu")
                ack = phones["002"].request(
                    "answer", {"question": "e-cuu", "value": True, "id": "c"}
                )
                assert ack["ok"], ack
                step("close", question="e-cuu")
                step("reveal", question="e-cuu")
                revealed.append("e-cuu")
        for page in ("/player", f"/p/{codes['001']}"):
            with urllib.request.urlopen(server.url + page, timeout=10) as response:
                html = response.read().decode("utf-8")
            for data in questions.values():
                for marker in [*markers(data), data["note"]]:
                    assert marker not in html, (page, marker)
    finally:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(Tablet.close, [mc, *screens]))
    for screen in screens:
        counts = check_frames(screen, questions, revealed)
        assert counts["before_reveal"] > 0, screen.name
        assert counts["revealed_with_markers"] >= 1, screen.name
    # Phones saw their own status change only at reveals; 002 came back by the rescue.
    assert phones["002"].view["status"] == "out"  # left again at a later question
    assert any(v.get("status") == "back" for v in phones["002"].views)


# --- judged rounds: no judge's score before the board shows them -------------------------

JUDGED = """\
judges:
  - {id: gk-a, name: Giám khảo A}
  - {id: gk-b, name: Giám khảo B}
rounds:
  - id: chao-hoi
    title: Chào hỏi
    format: judged
"""


def test_no_frame_gives_a_judge_s_score_away_before_all_have_scored(
    tmp_path: Path, async_mode: str
) -> None:
    from conftest import write_contest

    path = write_contest(tmp_path / "contest")
    path.write_text(path.read_text("utf-8").replace("rounds:\n", JUDGED, 1), encoding="utf-8")
    server = start_server(path, tmp_path / "data", async_mode)
    codes = server.info["judge_codes"]
    screens: list[Screen] = []
    try:
        mc = Screen(server.url, {"role": "mc", "pin": server.pin}, "mc")
        board = Screen(server.url, {"role": "board"}, "board")
        tablet = Screen(server.url, {"role": "team", "code": server.codes["doi-01"]}, "doi-01")
        a = Screen(server.url, {"role": "judge", "code": codes["gk-a"]}, "gk-a")
        b = Screen(server.url, {"role": "judge", "code": codes["gk-b"]}, "gk-b")
        screens = [mc, board, tablet, a, b]
        mc_do(mc, "start_round", round="chao-hoi")
        mc_do(mc, "show", question="chao-hoi:doi-01")
        a.wait(lambda v: bool(v.get("turn")))
        marker = 9.5  # judge A's score: nobody else may see it while B has not scored
        assert a.call("score", {"question": "chao-hoi:doi-01", "score": marker})["ok"]
        mc.wait(lambda v: v["judged_scores"]["scored"] == 1)
        board.wait(lambda v: bool(v.get("judged")) and v["judged"]["scored"] == 1)
        b.wait(lambda v: v["v"] >= mc.view["v"])
        hidden = [
            (s.name, view)
            for s in (board, tablet, b)
            for view in list(s.views)
            if "9.5" in json.dumps(view)
        ]
        assert hidden == []
        for s in (board, tablet):
            for view in s.views:
                turn = view.get("judged")
                if turn and not turn["show"]:
                    assert turn["result"] is None and turn["points"] is None
                    assert all("score" not in j for j in turn["judges"])
        # the control: once every judge has scored, the board shows them
        assert b.call("score", {"question": "chao-hoi:doi-01", "score": 6})["ok"]
        shown = board.wait(lambda v: v["phase"] == "closed")
        assert [j["score"] for j in shown["judged"]["judges"]] == [marker, 6]
        assert shown["judged"]["result"] == 7.75
    finally:
        for s in screens:
            s.close()
        server.stop()
