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
(its connect view is checked too). Every frame each team tablet and the board
received is then checked:

- no `key`, no `answers`, no `reveal`, no `result` before the question's reveal;
- no correctness anywhere (`correct` only as the scoreboard's count of earlier
  answers; in a buzzer round the judged `verdict` is public, as the MC says it
  aloud);
- no marker of any question not yet revealed, in the frame serialised;
- no reviewer note (`note`) ever, revealed or not;
- and, as a control, the markers do appear once revealed.
The HTML pages are checked for markers too.
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
    ]
    path = write_generated_contest(
        tmp_path / "contest", "bi-mat", [(t, f"Đội {t}") for t in TEAMS], rounds, questions
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

    def reconnect(team: str) -> None:
        """The team's tablet drops; a new one joins mid-question (its connect view)."""
        teams[team].drop()
        fresh = Tablet(server.url, {"role": "team", "code": server.codes[team]}, f"{team}-again")
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
        # The HTML pages carry no marker either.
        for page in ("/", "/board", "/team", f"/t/{server.codes['t1']}"):
            with urllib.request.urlopen(server.url + page, timeout=10) as response:
                html = response.read().decode("utf-8")
            for data in questions.values():
                for marker in [*markers(data), data["note"]]:
                    assert marker not in html, (page, marker)
    finally:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(Tablet.close, [mc, *screens, *late]))

    totals: dict[str, int] = {}
    for screen in [*screens, *late]:
        counts = check_frames(screen, questions, revealed)
        for key, n in counts.items():
            totals[key] = totals.get(key, 0) + n
        if screen in screens and screen.name != "t2":  # t2's first tablet left mid-round
            assert counts["revealed_with_markers"] >= 1, (screen.name, counts)
    mc_keys = [v for v in mc.views if v.get("key")]
    assert mc_keys, "the MC view carries the key (the control for `key` above)"
    assert any(str(v["key"].get("note", "")).startswith("zq-ghi-chú-") for v in mc_keys)
    print(
        f"\nsecrecy: {totals['frames']} frames to {len(screens) + len(late)} screens, "
        f"{totals['before_reveal']} before a reveal, none with the answer"
    )
