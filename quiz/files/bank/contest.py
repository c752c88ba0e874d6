"""Reading a contest file (`contest-format.md`): its banks, ranking, jury and
prizes; who plays and judges is read by `quiz.files.bank.people`, the rounds
by `quiz.files.bank.rounds`.
"""

from __future__ import annotations

import dataclasses
import os

from quiz.files.bank.draws import _Catalogue
from quiz.files.bank.fields import (
    _SLUG_RULE,
    SLUG,
    LoadError,
    Problem,
    StrPath,
    _as_int,
    _as_text,
    _did_you_mean,
    _Fields,
    _read_root,
    _Report,
    _wrong,
)
from quiz.files.bank.people import (
    _check_individual_rounds,
    _read_people,
)
from quiz.files.bank.questions import _BankRead, _cross_bank_duplicates, _read_bank
from quiz.files.bank.rounds import _read_rounds
from quiz.files.yamlsource import Map, Node, Scalar, Seq
from quiz.rules.formats import FORMATS
from quiz.rules.model import (
    Contest,
    JurySettings,
    Player,
    Prize,
    Question,
    Round,
    Team,
)

# --- Contests ------------------------------------------------------------------

TIEBREAK_CRITERIA = ("correct_count", "answer_time", "tiebreak_round")
DEFAULT_TIEBREAK = ("correct_count", "answer_time")


_CONTEST_KEYS = (
    "contest",
    "title",
    "subtitle",
    "organizer",
    "date",
    "venue",
    "banks",
    "teams",
    "rounds",
    "ranking",
    "prizes",
    "jury",
    "players",
    "judges",
    "devices_per_team",
    "language",
)
# Keys of the v2 contest format that this version cannot act on yet: refused
# with that reason rather than as unknown (a contest run without them would not
# be the contest its organiser wrote). None today.
_PLANNED_CONTEST_KEYS: dict[str, str] = {}
LANGUAGES = ("vi", "en")  # contest-format.md "Screens' language"
MAX_DEVICES_PER_TEAM = 1000  # contest-format.md "Devices": a bound, not a rule


def load_contest(path: StrPath) -> Contest:
    """Load a contest file and the banks it lists; raise LoadError listing every problem."""
    contest, problems = _read_contest(os.fspath(path))
    if problems or contest is None:
        raise LoadError(problems)
    return contest


def _read_contest(path: str) -> tuple[Contest | None, list[Problem]]:
    report = _Report(path)
    return _contest_from_root(path, _read_root(path, report), report)


def _contest_from_root(
    path: str, root: Node | None, report: _Report
) -> tuple[Contest | None, list[Problem]]:
    if root is None:
        return None, report.problems
    if not isinstance(root, Map):
        report.add(root.line, "a contest must be a mapping with the keys contest, title, banks ...")
        return None, report.problems
    top = _Fields(report, root, "")
    # teams: is optional in a contest with an elimination round (its players play it)
    has_players = _has_elimination(root)
    _check_top_keys(top, has_players)
    contest_id = top.identifier("contest", SLUG, _SLUG_RULE)
    title = top.text("title")
    subtitle, organizer, venue = top.text("subtitle"), top.text("organizer"), top.text("venue")
    contest_date = top.iso_date("date")
    reads, catalogue, bank_problems = _read_contest_banks(top, path)
    teams, players, judges = _read_people(top, path, has_players)
    tiebreak = _read_ranking(top)
    prizes = _read_prizes(top)
    jury = _read_jury(top)
    devices = top.integer("devices_per_team", low=1, high=MAX_DEVICES_PER_TEAM)
    language = top.one_of("language", LANGUAGES)
    rounds = _read_rounds(top, catalogue, judges)
    _check_rounds(top, root, rounds, teams, players)
    rounds, turns = _read_turns(rounds, teams, path)
    problems = report.problems + bank_problems
    if problems:
        return None, problems
    contest = Contest(
        id=contest_id or "",
        title=title or "",
        teams=teams,
        rounds=rounds,
        questions={q.id: q for q in (*catalogue.questions, *turns)},
        subtitle=subtitle,
        organizer=organizer,
        date=contest_date,
        venue=venue,
        tiebreak=tiebreak,
        prizes=prizes,
        jury=jury,
        players=players,
        devices_per_team=devices or 1,
        language=language or "vi",
        file=path,
        banks=tuple(read.bank for read in reads if read.bank is not None),
        judges=judges,
    )
    return contest, []


def _has_elimination(root: Map) -> bool:
    """Whether any round is written with `format: elimination` (read before the rounds)."""
    rounds = root.get("rounds")
    items = rounds.value.items if rounds is not None and isinstance(rounds.value, Seq) else ()
    for item in items:
        fmt = item.get("format") if isinstance(item, Map) else None
        if fmt is not None and isinstance(fmt.value, Scalar) and fmt.value.value == "elimination":
            return True
    return False


def _check_top_keys(top: _Fields, has_players: bool) -> None:
    """The contest's keys: known ones, and `teams` required unless a round is
    played by players (elimination)."""
    top.check_keys(
        _CONTEST_KEYS,
        required=("contest", "title", "banks") + (() if has_players else ("teams",)) + ("rounds",),
        misplaced=_PLANNED_CONTEST_KEYS,
    )


def _check_rounds(
    top: _Fields,
    root: Map,
    rounds: tuple[Round, ...],
    teams: tuple[Team, ...],
    players: tuple[Player, ...],
) -> None:
    """Each format's rule about the contest as a whole, and the players that
    rounds of individual players need."""
    for rnd in rounds:
        message = FORMATS[rnd.format].check_teams(rnd.settings, len(teams)) if teams else None
        if message:
            top.report.add(rnd.line, f"round '{rnd.id}': {message}")
    _check_individual_rounds(top, root, rounds, players)


def _read_contest_banks(
    top: _Fields, contest_path: str
) -> tuple[list[_BankRead], _Catalogue, list[Problem]]:
    """Read the banks a contest lists; their problems are kept apart from the contest's."""
    problems_before = len(top.report.problems)
    paths = _read_bank_paths(top, contest_path)
    listed_ok = bool(paths) and len(top.report.problems) == problems_before
    reads = [_read_bank(bank_path) for bank_path in paths]
    problems = [problem for read in reads for problem in read.problems]
    problems += _cross_bank_duplicates(reads)
    all_read = listed_ok and all(read.bank is not None for read in reads)
    catalogue = _Catalogue(
        questions=tuple(q for read in reads if read.bank for q in read.bank.questions),
        known_ids=frozenset(qid for read in reads for qid in read.id_lines),
        all_read=all_read,
        complete=all_read and not problems,
    )
    return reads, catalogue, problems


def _read_bank_paths(top: _Fields, contest_path: str) -> list[str]:
    """The bank files, relative to the contest file, each one existing and listed once."""
    found = top.sequence("banks", "[cchc-2023.yaml]")
    if found is None:
        return []
    folder = os.path.dirname(contest_path)
    paths: list[str] = []
    seen: dict[str, int] = {}
    for item in found[1].items:
        written = _as_text(item)
        if written is None:
            top.problem(item.line, _wrong("each of banks", "a file name", item))
            continue
        if os.path.isabs(written):
            top.problem(item.line, f"bank '{written}' must be a path relative to the contest file")
            continue
        bank_path = os.path.join(folder, written)
        key = os.path.normpath(bank_path)
        if key in seen:
            top.problem(item.line, f"bank '{written}' is listed twice (first at line {seen[key]})")
        elif not os.path.isfile(bank_path):
            top.problem(item.line, f"bank file '{written}' not found (looked for {bank_path})")
        else:
            seen[key] = item.line
            paths.append(bank_path)
    return paths


def _read_turns(
    rounds: tuple[Round, ...], teams: tuple[Team, ...], path: str
) -> tuple[tuple[Round, ...], list[Question]]:
    """The stand-in questions of rounds that ask none from a bank (judged turns),
    and the rounds with their ids as their questions."""
    out: list[Question] = []
    changed: list[Round] = []
    for rnd in rounds:
        made = FORMATS[rnd.format].turns(rnd.id, teams, rnd.settings, rnd.line, path)
        if made is not None:
            out.extend(made)
            rnd = dataclasses.replace(rnd, question_ids=tuple(q.id for q in made))
        changed.append(rnd)
    return tuple(changed), out


def _read_ranking(top: _Fields) -> tuple[str, ...]:
    ranking = top.mapping("ranking")
    if ranking is None:
        return DEFAULT_TIEBREAK
    ranking.check_keys(("tiebreak",))
    entry = ranking.entry("tiebreak")
    if entry is None:
        return DEFAULT_TIEBREAK
    if not isinstance(entry.value, Seq):
        example = "[correct_count, answer_time]"
        ranking.problem(
            entry.key_line, _wrong("ranking.tiebreak", f"a list like {example}", entry.value)
        )
        return DEFAULT_TIEBREAK
    criteria: list[str] = []
    for item in entry.value.items:
        text = _as_text(item)
        if text not in TIEBREAK_CRITERIA:
            expected = "one of " + ", ".join(TIEBREAK_CRITERIA)
            hint = _did_you_mean(text, TIEBREAK_CRITERIA) if text else ""
            ranking.problem(item.line, _wrong("each of ranking.tiebreak", expected, item) + hint)
        elif text in criteria:
            ranking.problem(item.line, f"ranking.tiebreak names '{text}' twice")
        else:
            criteria.append(text)
    return tuple(criteria)


MAX_APPEAL_WINDOW = 3600  # seconds


def _read_jury(top: _Fields) -> JurySettings | None:
    """`jury:` {approve_corrections, appeals, appeal_window} (contest-format.md "Jury")."""
    jury = top.mapping("jury")
    if jury is None:
        return None
    jury.check_keys(("approve_corrections", "appeals", "appeal_window"))
    defaults = JurySettings()
    approve = jury.boolean("approve_corrections")
    appeals = jury.boolean("appeals")
    window = jury.integer("appeal_window", 1, MAX_APPEAL_WINDOW)
    return JurySettings(
        approve_corrections=defaults.approve_corrections if approve is None else approve,
        appeals=defaults.appeals if appeals is None else appeals,
        appeal_window=defaults.appeal_window if window is None else window,
    )


def _read_prizes(top: _Fields) -> tuple[Prize, ...]:
    """`prizes:` best first, each {name, count} with a count >= 1 or `rest` (last)."""
    found = top.sequence("prizes", "[{name: Giải Nhất, count: 1}, ...]")
    if found is None:
        return ()
    prizes: list[Prize] = []
    names: dict[str, int] = {}
    items = found[1].items
    for index, item in enumerate(items, start=1):
        if not isinstance(item, Map):
            top.problem(
                item.line, _wrong(f"prize #{index}", "a mapping {name: ..., count: ...}", item)
            )
            continue
        prize = _Fields(top.report, item, f"prize #{index}: ")
        prize.check_keys(("name", "count"), required=("name", "count"))
        name = prize.text("name")
        entry = prize.entry("count")
        count: int | None = None
        ok = entry is not None
        if entry is not None:
            if isinstance(entry.value, Scalar) and entry.value.text == "rest":
                if index != len(items):
                    prize.problem(entry.key_line, "count 'rest' is only for the last prize")
                    ok = False
            else:
                number = _as_int(entry.value)
                if number is None or number < 1:
                    prize.problem(
                        entry.key_line, _wrong("count", "a whole number >= 1 or rest", entry.value)
                    )
                    ok = False
                count = number
        if name is not None and name in names:
            prize.problem(
                item.line, f"prize '{name}' is listed twice (first at line {names[name]})"
            )
            continue
        if name is not None and ok:
            names[name] = item.line
            prizes.append(Prize(name, count, item.line))
    return tuple(prizes)
