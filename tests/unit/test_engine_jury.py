"""The jury (contest-format.md "Jury"): approving corrections, appeals, sign-off
and reopening, as engine scenarios on a fake clock."""

from __future__ import annotations

from dataclasses import replace

from support import T0, Game, contest, q_single

from quiz.rules import engine
from quiz.rules.commands import (
    AdjustScore,
    DecideAppeal,
    FileAppeal,
    OpenAnswers,
    Reopen,
    Reveal,
    ReviewCorrection,
    SetAnswer,
    ShowQuestion,
    SignOff,
    StartRound,
    SubmitAnswer,
    Undo,
    VoidQuestion,
)
from quiz.rules.events import (
    AnswerAccepted,
    AppealDecided,
    AppealFiled,
    CorrectionProposed,
    CorrectionReviewed,
    ResultsReopened,
    ResultsSignedOff,
    ScoreAdjusted,
    from_record,
    to_record,
)
from quiz.rules.model import AllSettings, Contest, JurySettings


def jury_contest(**jury: object) -> Contest:
    base = contest(("all", [q_single("s1"), q_single("s2", "C")], AllSettings()))
    return replace(base, jury=JurySettings(**jury))  # type: ignore[arg-type]


def played(c: Contest, finish: bool = False) -> Game:
    """Two questions: t1 right on both, t2 right on s1 (10 points each)."""
    game = Game(c)
    game.at(0).do(StartRound())
    for i, (qid, answers) in enumerate([("s1", {"t1": "B", "t2": "B"}), ("s2", {"t1": "C"})]):
        base = i * 100
        game.at(base).do(ShowQuestion(qid))
        game.do(OpenAnswers(qid))
        for team, value in answers.items():
            game.at(base + 2).do(SubmitAnswer(qid, team, value, T0 + base + 2))
        game.at(base + 21).tick()
        game.at(base + 22).do(Reveal(qid))
    if finish:
        game.at(200).do(StartRound())
    return game


def same_after_replay(game: Game) -> None:
    """The journal's events, through JSON records, rebuild the same state."""
    events = [from_record(to_record(e)) for e in game.log]
    assert engine.replay(game.contest, events) == game.state


# Approving corrections ----------------------------------------------------------------


def test_an_mc_correction_waits_for_the_jury_and_counts_only_once_approved() -> None:
    game = played(jury_contest(approve_corrections=True))
    events = game.at(130).do(AdjustScore("t3", 5, "Trả lời miệng đúng"))
    assert [type(e) for e in events] == [CorrectionProposed]
    assert game.totals()["t3"] == 0  # pending: not counted
    assert game.state.proposals[0].status == "pending"
    game.refuse(ReviewCorrection(1, True, " "), "reason_required")
    events = game.at(140).do(ReviewCorrection(1, True, "Đúng theo băng ghi hình"))
    assert [type(e) for e in events] == [CorrectionReviewed, ScoreAdjusted]
    assert game.totals()["t3"] == 5
    assert game.state.corrections[0].at == T0 + 140  # in force from its approval
    assert game.state.proposals[0].correction == game.state.corrections[0].id == 1
    game.refuse(ReviewCorrection(1, False, "x"), "already_decided")
    same_after_replay(game)


def test_a_rejected_correction_never_counts_and_keeps_its_reason() -> None:
    game = played(jury_contest(approve_corrections=True))
    game.at(130).do(VoidQuestion("s1", "Câu hỏi có hai đáp án"))
    game.at(131).do(ReviewCorrection(1, False, "Đáp án B là duy nhất đúng"))
    assert game.totals() == {"t1": 20, "t2": 10, "t3": 0, "t4": 0}
    assert game.state.corrections == []
    assert (game.state.proposals[0].status, game.state.proposals[0].reason) == (
        "rejected",
        "Đáp án B là duy nhất đúng",
    )
    game.refuse(ReviewCorrection(9, True, "x"), "unknown_proposal")
    same_after_replay(game)


def test_the_jurys_own_corrections_and_undo_and_approval_when_overtaken() -> None:
    game = played(jury_contest(approve_corrections=True))
    game.at(130).do(AdjustScore("t2", 3, "Bổ sung", by="jury"))  # the jury's: at once
    assert game.totals()["t2"] == 13
    game.do(Undo("Nhầm", id=1))  # the MC's undo waits too
    assert game.totals()["t2"] == 13
    game.do(VoidQuestion("s2", "Lỗi hiển thị"))  # proposal 2
    game.do(VoidQuestion("s2", "Lỗi hiển thị", by="jury"))  # the jury voids it itself
    game.refuse(ReviewCorrection(2, True, "Đồng ý"), "already_void")
    game.do(ReviewCorrection(1, True, "Đồng ý hoàn tác"))
    assert game.totals()["t2"] == 10
    same_after_replay(game)


def test_the_jury_console_says_what_each_correction_changed() -> None:
    from quiz.rules.jury_view import jury_view

    game = played(jury_contest())
    game.at(130).do(AdjustScore("t2", -3, "Nhắc bài", by="jury"))
    game.do(SetAnswer("s2", "t3", "Nhập tay theo phiếu", value="C", by="jury"))
    rows = jury_view(game.contest, game.state, game.now)["corrections"]
    assert rows[0]["label"].endswith("— Xã 2: -3 điểm"), rows[0]
    assert "Xã 3" in rows[1]["label"] and "Nhập tay" not in rows[1]["label"], rows[1]
    assert all(r["reason"] not in r["label"] for r in rows)


def test_without_approval_an_mc_correction_counts_at_once() -> None:
    game = played(jury_contest(approve_corrections=False))
    events = game.at(130).do(AdjustScore("t3", 5, "x"))
    assert [type(e) for e in events] == [ScoreAdjusted]
    assert game.totals()["t3"] == 5


# Appeals --------------------------------------------------------------------------


def test_an_appeal_accepted_with_a_correction_applied_like_any() -> None:
    game = played(jury_contest(appeal_window=120))
    # s2 revealed at +122: t2 did not answer, says it raised its board in time
    events = game.at(150).do(FileAppeal("t2", "s2", "  Đội đã giơ bảng C trước khi hết giờ "))
    assert isinstance(events[0], AppealFiled) and events[0].text.startswith("Đội đã giơ")
    assert game.state.appeals[0].status == "pending"
    game.refuse(DecideAppeal(1, True, "x"), "correction_required")
    game.refuse(DecideAppeal(1, True, ""), "reason_required")
    events = game.at(160).do(
        DecideAppeal(1, True, "Băng ghi hình cho thấy đội giơ bảng C", kind="set_answer", value="C")
    )
    assert isinstance(events[0], AppealDecided) and events[0].correction == 1
    assert game.totals()["t2"] == 20
    c = game.state.corrections[0]
    assert (c.kind, c.team, c.question, c.reason) == (
        "set_answer",
        "t2",
        "s2",
        "Băng ghi hình cho thấy đội giơ bảng C",
    )
    assert game.state.appeals[0].status == "accepted"
    game.refuse(DecideAppeal(1, False, "x"), "already_decided")
    same_after_replay(game)


def test_an_accepted_appeal_is_the_jurys_correction_so_it_never_waits() -> None:
    game = played(jury_contest(approve_corrections=True))
    game.at(150).do(FileAppeal("t3", "s2", "Đề có hai đáp án đúng"))
    game.do(DecideAppeal(1, True, "Đề sai", kind="void"))
    assert game.state.proposals == []
    assert game.totals() == {"t1": 10, "t2": 10, "t3": 0, "t4": 0}


def test_a_rejected_appeal_changes_no_score() -> None:
    game = played(jury_contest())
    game.at(150).do(FileAppeal("t3", "s2", "Đáp án A cũng đúng"))
    before = game.totals()
    game.at(151).do(DecideAppeal(1, False, "Đáp án A trái với Nghị định 61"))
    assert game.totals() == before
    a = game.state.appeals[0]
    assert (a.status, a.reason, a.decided_at) == (
        "rejected",
        "Đáp án A trái với Nghị định 61",
        T0 + 151,
    )
    same_after_replay(game)


def test_a_tablet_appeal_out_of_its_window_or_before_the_reveal_is_refused() -> None:
    game = played(jury_contest(appeal_window=30))
    # s1 revealed at +22: its window closed at +52; s2 revealed at +122
    game.at(130).refuse(FileAppeal("t1", "s1", "Muộn"), "appeal_closed")
    game.at(152).do(FileAppeal("t1", "s2", "Đúng lúc"))  # +30 s exactly: still open
    game.at(153).refuse(FileAppeal("t2", "s2", "Quá hạn"), "appeal_closed")
    # the MC or the jury may still enter one for a team, brought on paper in time
    game.do(FileAppeal("t2", "s2", "Đơn giấy nộp lúc công bố đáp án", by="mc"))
    assert [a.by for a in game.state.appeals] == ["team", "mc"]


def test_an_appeal_on_a_question_not_revealed_is_refused() -> None:
    game = Game(jury_contest())
    game.at(0).do(StartRound())
    game.do(ShowQuestion("s1"))
    game.do(OpenAnswers("s1"))
    game.refuse(FileAppeal("t1", "s1", "Đề sai"), "not_revealed")
    game.refuse(FileAppeal("t1", "s1", "Đề sai", by="jury"), "not_revealed")
    game.refuse(FileAppeal("t1", "zz", "Đề sai"), "not_revealed")


def test_an_appeal_from_a_wrong_or_unknown_team_or_twice_is_refused() -> None:
    game = played(jury_contest())
    game.at(130).refuse(FileAppeal("t9", "s2", "x"), "unknown_team")
    game.refuse(FileAppeal("t1", "s2", "   "), "appeal_text_required")
    game.refuse(FileAppeal("t1", "s2", "x" * 501), "appeal_text_too_long")
    game.do(FileAppeal("t1", "s2", "x" * 500))
    game.refuse(FileAppeal("t1", "s2", "lần nữa"), "already_appealed")  # once per question
    game.refuse(FileAppeal("t1", "s2", "lần nữa", by="mc"), "already_appealed")  # one pending
    # a decided appeal does not stop the jury entering a new one for that team
    game.do(DecideAppeal(1, False, "Không có căn cứ"))
    game.do(FileAppeal("t1", "s2", "Có căn cứ mới", by="jury"))
    # deciding names the appeal; its team and question are the appeal's, not the sender's
    game.do(DecideAppeal(2, True, "Căn cứ mới xác đáng", kind="adjust", delta=2))
    assert game.state.corrections[-1].team == "t1"


def test_appeals_need_the_jury_and_appeals_on() -> None:
    plain = played(jury_contest()).contest
    off = played(replace(plain, jury=JurySettings(appeals=False)))
    off.at(130).refuse(FileAppeal("t1", "s2", "x"), "no_appeals")
    none = played(replace(plain, jury=None))
    none.at(130).refuse(FileAppeal("t1", "s2", "x"), "no_jury")
    none.refuse(SignOff(), "no_jury")


# Sign-off and reopening ---------------------------------------------------------------


def test_sign_off_then_a_correction_is_refused_until_the_jury_reopens() -> None:
    game = played(jury_contest(), finish=False)
    game.at(150).refuse(SignOff(), "not_finished")
    game.at(200).do(StartRound())  # the last round over: the contest is finished
    game.at(210).do(FileAppeal("t3", "s2", "Xin xem lại"))
    game.refuse(SignOff(), "pending")
    game.do(DecideAppeal(1, False, "Không có căn cứ"))
    events = game.at(220).do(SignOff())
    assert [type(e) for e in events] == [ResultsSignedOff]
    game.refuse(SignOff(), "already_signed")
    game.refuse(AdjustScore("t3", 5, "Sau xác nhận"), "signed_off")
    game.refuse(AdjustScore("t3", 5, "Sau xác nhận", by="jury"), "signed_off")
    game.refuse(SetAnswer("s1", "t3", "x", value="B"), "signed_off")
    game.refuse(Undo("x"), "signed_off")
    game.refuse(FileAppeal("t3", "s2", "Lần hai", by="mc"), "signed_off")
    game.refuse(Reopen("  "), "reason_required")
    events = game.at(230).do(Reopen("Thư ký phát hiện cộng sai điểm đội Xã 3"))
    assert isinstance(events[0], ResultsReopened)
    game.do(AdjustScore("t3", 5, "Cộng bù điểm"))
    assert game.totals()["t3"] == 5
    game.at(240).do(SignOff())
    assert game.state.signoffs == [T0 + 220, T0 + 240]
    assert game.state.reopenings == [(T0 + 230, "Thư ký phát hiện cộng sai điểm đội Xã 3")]
    game.refuse(Reopen("x" * 501), "reason_too_long")
    same_after_replay(game)


def test_reopen_needs_a_sign_off_and_a_pending_correction_blocks_it() -> None:
    game = played(jury_contest(approve_corrections=True), finish=True)
    game.refuse(Reopen("x"), "not_signed")
    game.do(AdjustScore("t4", 1, "x"))
    game.refuse(SignOff(), "pending")
    game.do(ReviewCorrection(1, False, "Không"))
    game.do(SignOff())
    game.do(AdjustScore("t4", 1, "y")) if False else game.refuse(
        AdjustScore("t4", 1, "y"), "signed_off"
    )


def test_answers_carry_their_timing_for_the_jury_and_old_journals_replay() -> None:
    game = Game(jury_contest())
    game.at(0).do(StartRound())
    game.do(ShowQuestion("s1"))
    game.do(OpenAnswers("s1"))
    arrival = T0 + 3.0
    events = game.at(3).do(
        SubmitAnswer("s1", "t1", "B", arrival - 0.04, "n1", arrival, arrival - 0.09, arrival - 0.05)
    )
    accepted = next(e for e in events if isinstance(e, AnswerAccepted))
    assert (accepted.arrival, accepted.claimed, accepted.earliest) == (
        arrival,
        arrival - 0.09,
        arrival - 0.05,
    )
    timing = game.state.timings[0]
    assert (timing.team, timing.kind, timing.accepted, timing.claimed) == (
        "t1",
        "answer",
        arrival - 0.04,
        arrival - 0.09,
    )
    # a record written before these fields existed still replays
    old = {
        k: v for k, v in to_record(accepted).items() if k not in ("arrival", "claimed", "earliest")
    }
    assert from_record(old) == replace(accepted, arrival=None, claimed=None, earliest=None)
    same_after_replay(game)


# What the views show of it ----------------------------------------------------------


def test_a_tablet_is_offered_an_appeal_only_inside_the_window_and_once() -> None:
    from quiz.rules.jury_view import board_part, team_part

    game = played(jury_contest(appeal_window=30))  # s2 revealed at +122
    offer = team_part(game.contest, game.state, "t1", T0 + 140)["appeal_offer"]
    assert offer is not None and offer["question"] == "s2" and offer["until"] == (T0 + 152) * 1000
    assert team_part(game.contest, game.state, "t1", T0 + 153)["appeal_offer"] is None
    game.at(140).do(FileAppeal("t1", "s2", "Xem lại"))
    mine = team_part(game.contest, game.state, "t1", T0 + 141)
    assert mine["appeal_offer"] is None  # appealed already
    assert [a["status"] for a in mine["my_appeals"]] == ["pending"]
    assert team_part(game.contest, game.state, "t2", T0 + 141)["my_appeals"] == []  # not t1's
    assert board_part(game.contest, game.state)["appeals"] == []  # only accepted ones
    game.do(DecideAppeal(1, True, "Đúng", kind="adjust", delta=1))
    shown = board_part(game.contest, game.state)["appeals"]
    assert [(a["team_name"], a["reason"]) for a in shown] == [("Xã 1", "Đúng")]


def test_the_timeline_filters_by_team_and_question_and_names_decisions() -> None:
    from quiz.rules.jury_view import timeline

    game = played(jury_contest(approve_corrections=True))
    game.at(130).do(FileAppeal("t2", "s2", "Đã giơ bảng"))
    game.do(DecideAppeal(1, False, "Không"))
    game.do(AdjustScore("t2", 2, "Cộng"))
    game.do(ReviewCorrection(1, True, "Đồng ý"))
    every = timeline(game.contest, game.log)
    assert every["total"] == len(game.log) and every["entries"][0]["type"] == "ScoreAdjusted"
    t2 = timeline(game.contest, game.log, team="t2")["entries"]
    assert {e["type"] for e in t2} >= {
        "AnswerAccepted",
        "AppealFiled",
        "AppealDecided",
        "CorrectionProposed",
        "CorrectionReviewed",
        "ScoreAdjusted",
    }
    assert all(e["team"] == "t2" for e in t2)
    on_s2 = timeline(game.contest, game.log, team="t2", question="s2")["entries"]
    assert [e["type"] for e in on_s2] == ["AppealDecided", "AppealFiled"]
    assert on_s2[1]["question_name"] == "Phần 1 – Câu 2" and "Đã giơ bảng" in on_s2[1]["detail"]
    assert len(timeline(game.contest, game.log, limit=3)["entries"]) == 3
