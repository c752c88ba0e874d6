"""The official record of a played contest as plain data: what the results
workbook (record_xlsx.py) and the minutes (minutes.py) render.

`build_record(contest, state, head, entries)` gathers the contest's details,
the teams, the ranking with prizes and each round's points, every question's
answers, every correction (and every buzz verdict taken back) with its reason
and time, and how teams level on points were separated. The journal's head
hash and entry count are passed in by the caller (the journal is not read
here). Appeals, a tiebreak round's result and the jury's sign-off are optional
sections: empty (or None) until the contest records them, rendered when
present.

Every word a renderer prints is in LABELS (record_words.py), by key: its
Vietnamese text, the message id that the catalogue of the record's language
(`vi`, `en`, quiz/locale/) translates; the corrections' rows are built in
record_corrections.py. Imports model, state, scoring, ceremony, buzzer_state,
judged, tiebreak_view.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from quiz.files.locale import LANGUAGES
from quiz.files.record_corrections import CorrectionRow, answer_text, corrections
from quiz.files.record_words import (
    LABELS,
    clock_datetime,
    clock_time,
    labels_for,
    language_of,
    number,
)
from quiz.rules.ceremony import prize_groups
from quiz.rules.devices import holder_label
from quiz.rules.formats.base import TeamResult
from quiz.rules.formats.buzzer_state import BuzzerQuestion
from quiz.rules.formats.judged import scores_text
from quiz.rules.model import Contest
from quiz.rules.scoring import Standing, all_results, standings, voided
from quiz.rules.state import ContestState
from quiz.rules.tiebreak_view import by_group, by_team

# The record's words, formats and corrections are in record_words.py and
# record_corrections.py; the renderers import them from here too.
__all__ = [
    "LABELS",
    "CorrectionRow",
    "Record",
    "build_record",
    "clock_datetime",
    "clock_time",
    "labels_for",
    "language_of",
    "number",
]


@dataclass
class RoundInfo:
    index: int  # 0-based
    id: str
    title: str
    format: str


@dataclass
class StandingRow:
    rank: int
    team: str
    name: str
    prize: str
    total: float
    rounds: list[float]  # points in each round, by round index
    adjustments: float
    correct_count: int
    answer_time: float
    tiebreak: str = ""  # how a tiebreak round placed it ("câu hỏi phụ 2", "bốc thăm")


@dataclass
class TeamAnswer:
    team: str
    name: str
    answer: str  # as the screens write it; "" if none
    correct: bool | None  # None: no answer (or not judged)
    points: float
    time: float | None  # seconds from opening to the press (answer or buzz)
    at: float | None  # server time of the press
    by_hand: bool


@dataclass
class QuestionRecord:
    id: str
    round: int  # 0-based round index
    index: int  # 0-based question index in its round
    text: str
    key: str  # the correct answer as the screens write it
    format: str
    voided: bool
    shown_at: float
    answers: list[TeamAnswer]


@dataclass
class DeviceRow:
    """The MC's answer to a team's extra device (contest-format.md "Devices")."""

    at: float
    team: str  # the team's name
    approved: bool
    address: str
    replaced: int


@dataclass
class AppealRow:
    """A team's appeal and the jury's decision (filled when the contest has appeals)."""

    at: float
    team: str  # name
    question: str  # question id, or ""
    text: str
    outcome: str  # accepted | rejected | pending
    reason: str = ""
    decided_at: float | None = None


@dataclass
class TieGroup:
    """Teams level on total points and how the ranking separated them."""

    total: float
    teams: list[StandingRow]
    criteria: list[str]  # the ranking's tiebreak criteria, in order
    shared: bool  # some of them still share a rank
    by_round: str = ""  # a tiebreak round's result, when one settled it


@dataclass
class SignOff:
    """The jury's sign-off and any reopening (filled when the contest has a jury)."""

    at: float | None
    reopenings: list[tuple[float, str]] = field(default_factory=list)  # (at, reason)


@dataclass
class Record:
    contest_id: str
    language: str
    title: str
    subtitle: str
    organizer: str
    date: str
    venue: str
    teams: list[tuple[str, str]]  # (id, name) in the contest's order
    rounds: list[RoundInfo]
    standings: list[StandingRow]  # ranked
    questions: list[QuestionRecord]  # in the order they were asked
    corrections: list[CorrectionRow]  # in time order
    ties: list[TieGroup]
    head: str
    entries: int
    made_at: float
    has_prizes: bool
    appeals: list[AppealRow] = field(default_factory=list)
    signoff: SignOff | None = None
    devices: list[DeviceRow] = field(default_factory=list)  # in time order

    @property
    def labels(self) -> dict[str, str]:
        return labels_for(self.language)

    def question_name(self, qid: str) -> str:
        for q in self.questions:
            if q.id == qid:
                return self.labels["question_name"].format(round=q.round + 1, index=q.index + 1)
        return ""


def build_record(
    contest: Contest,
    state: ContestState,
    head: str,
    entries: int,
    made_at: float | None = None,
    language: str | None = None,
) -> Record:
    """The record of `state` (a replayed journal whose head hash and entry count
    the caller read)."""
    lang = language if language in LANGUAGES else language_of(contest)
    words = labels_for(lang)
    results = all_results(contest, state)
    table = standings(contest, state, results=results)
    void = voided(state)
    rows = _standings(contest, state, table, void, lang)
    names = {t.id: t.name for t in contest.teams}
    questions = [
        _question(contest, state, qid, results[qid], qid in void) for qid in state.questions
    ]
    return Record(
        contest_id=contest.id,
        language=lang,
        title=contest.title,
        subtitle=contest.subtitle or "",
        organizer=contest.organizer or "",
        date=_date(contest.date),
        venue=contest.venue or "",
        teams=[(t.id, t.name) for t in contest.teams],
        rounds=[RoundInfo(i, r.id, r.title, r.format) for i, r in enumerate(contest.rounds)],
        standings=rows,
        questions=questions,
        corrections=corrections(contest, state, names, words),
        ties=_settled(_ties(rows, contest.tiebreak), contest, state, lang),
        head=head,
        entries=entries,
        made_at=made_at if made_at is not None else time.time(),
        has_prizes=bool(contest.prizes),
        appeals=_appeals(contest, state, names),
        signoff=_signoff(contest, state),
        devices=[
            DeviceRow(
                d.at, holder_label(contest, d.holder, d.team), d.approved, d.address, d.replaced
            )
            for d in state.devices
        ],
    )


def _standings(
    contest: Contest, state: ContestState, table: list[Standing], void: set[str], lang: str
) -> list[StandingRow]:
    """The ranking's rows, with prizes and how a tiebreak round placed a team."""
    prizes = (
        {s.team: p.name for p, ts in prize_groups(contest, table) for s in ts}
        if contest.prizes
        else {}
    )
    rows = [_standing(contest, state, s, prizes, void) for s in table]
    how = by_team(contest, state, lang)
    for row in rows:
        row.tiebreak = how.get(row.team, "")
    return rows


def _question(
    contest: Contest, state: ContestState, qid: str, results: dict[str, TeamResult], voided: bool
) -> QuestionRecord:
    """One question asked, with every team's answer (`results`: its results by team)."""
    q = state.questions[qid]
    question = contest.questions[qid]
    rnd = contest.rounds[q.round]
    answers = []
    for t in contest.teams:
        r = results.get(t.id)
        pressed, seconds = _press(state, qid, t.id)
        answer = "" if r is None or r.value is None else answer_text(question, r.value)
        answers.append(
            TeamAnswer(
                team=t.id,
                name=t.name,
                answer=answer,
                correct=None if r is None else r.correct,
                points=0.0 if r is None else r.points,
                time=(r.time if r is not None and r.time is not None else seconds),
                at=pressed,
                by_hand=bool(r and r.by_hand),
            )
        )
    return QuestionRecord(
        id=qid,
        round=q.round,
        index=q.index,
        text=question.text,
        # a judged turn's "key" is every judge's score and the result
        key=scores_text(contest, state, qid) if rnd.format == "judged" else _key(question),
        format=rnd.format,
        voided=voided,
        shown_at=q.shown_at,
        answers=answers,
    )


def _appeals(contest: Contest, state: ContestState, names: dict[str, str]) -> list[AppealRow]:
    return [
        AppealRow(
            at=a.at,
            team=names.get(a.team, a.team),
            question=a.question,
            text=a.text,
            outcome=a.status,
            reason=a.reason,
            decided_at=a.decided_at,
        )
        for a in state.appeals
    ]


def _signoff(contest: Contest, state: ContestState) -> SignOff | None:
    """The jury's sign-off (the one in force, None after a reopening) and every reopening."""
    if contest.jury is None:
        return None
    return SignOff(at=state.signed_at, reopenings=list(state.reopenings))


def _date(iso: str | None) -> str:
    """2023-08-29 as 29/08/2023."""
    if not iso:
        return ""
    year, _, rest = iso.partition("-")
    month, _, day = rest.partition("-")
    return f"{day}/{month}/{year}" if day else iso


def _key(question: Any) -> str:
    """The correct answer as written: a text question's accepted answers joined."""
    if question.type == "text" and isinstance(question.answer, tuple):
        return " / ".join(question.answer)
    return answer_text(question, question.answer)


def _press(state: ContestState, qid: str, team: str) -> tuple[float | None, float | None]:
    """When the team pressed on this question (its answer, or its last buzz) and
    the seconds of clock at that press."""
    q = state.questions[qid]
    answer = q.answers.get(team)
    if answer is not None:
        return answer.pressed, answer.time
    presses = q.fmt.presses if isinstance(q.fmt, BuzzerQuestion) else []
    for press in reversed(presses):
        if press.team == team:
            return press.pressed, press.time
    return None, None


def _standing(
    contest: Contest, state: ContestState, s: Standing, prizes: dict[str, str], void: set[str]
) -> StandingRow:
    per_round = [0.0 for _ in contest.rounds]
    for qid, result in s.results.items():
        if qid in void:
            continue
        per_round[state.questions[qid].round] += result.points
    return StandingRow(
        rank=s.rank,
        team=s.team,
        name=s.name,
        prize=prizes.get(s.team, ""),
        total=s.total,
        rounds=per_round,
        adjustments=s.adjustments,
        correct_count=s.correct_count,
        answer_time=round(s.answer_time, 3),
    )


def _settled(
    ties: list[TieGroup], contest: Contest, state: ContestState, lang: str
) -> list[TieGroup]:
    """Each tie a tiebreak round played says how the round settled it."""
    groups = by_group(contest, state, lang)
    for tie in ties:
        members = {t.team for t in tie.teams}
        tie.by_round = "; ".join(line for teams, line in groups if teams & members)
    return ties


def _ties(rows: list[StandingRow], tiebreak: tuple[str, ...]) -> list[TieGroup]:
    groups: dict[float, list[StandingRow]] = {}
    for row in rows:
        groups.setdefault(round(row.total, 6), []).append(row)
    out = []
    for total, teams in groups.items():
        if len(teams) < 2:
            continue
        ranks = [t.rank for t in teams]
        out.append(
            TieGroup(
                total=total,
                teams=teams,
                criteria=list(tiebreak),
                shared=len(set(ranks)) < len(ranks),
            )
        )
    return out
