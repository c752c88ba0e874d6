"""Who takes part in a contest (`contest-format.md`): its teams, its individual
players (a roster file or a YAML list) and the judges of judged rounds."""

from __future__ import annotations

import os

from quiz.files.bank.fields import (
    _SLUG_RULE,
    SLUG,
    _as_text,
    _Fields,
    _is_repeat,
    _prefix,
    _Report,
    _wrong,
)
from quiz.files.yamlsource import Entry, Map
from quiz.rules.model import Judge, Player, Round, Team

MIN_TEAMS, MAX_TEAMS = 2, 60


def _read_people(
    top: _Fields, path: str, has_players: bool
) -> tuple[tuple[Team, ...], tuple[Player, ...], tuple[Judge, ...]]:
    """The teams (none needed when an elimination round is played by players),
    players and judges."""
    teams = _read_teams(top, minimum=0 if has_players else MIN_TEAMS)
    return teams, _read_players(top, path, teams), _read_judges(top)


def _read_teams(top: _Fields, minimum: int = MIN_TEAMS) -> tuple[Team, ...]:
    if minimum == 0 and top.entry("teams") is None:
        return ()  # a contest of individual players (elimination) may have no teams
    found = top.sequence("teams", "[{id: bo, name: Thị trấn Bo}, ...]")
    if found is None:
        return ()
    entry, node = found
    if not max(1, minimum) <= len(node.items) <= MAX_TEAMS:
        top.problem(
            entry.key_line,
            f"teams lists {len(node.items)} team{'' if len(node.items) == 1 else 's'}; "
            f"a contest has {max(1, minimum)} to {MAX_TEAMS}",
        )
    teams: list[Team] = []
    id_lines: dict[str, int] = {}
    for index, item in enumerate(node.items, start=1):
        if not isinstance(item, Map):
            top.problem(item.line, _wrong(f"team #{index}", "a mapping {id: ..., name: ...}", item))
            continue
        team = _Fields(top.report, item, _prefix("team", item, index))
        team.check_keys(("id", "name"), required=("id", "name"))
        team_id = team.identifier("id", SLUG, _SLUG_RULE)
        name = team.text("name")
        if team_id is not None and _is_repeat(team, team_id, id_lines):
            continue
        if team_id is not None and name is not None:
            teams.append(Team(team_id, name))
    return tuple(teams)


def _read_players(top: _Fields, contest_path: str, teams: tuple[Team, ...]) -> tuple[Player, ...]:
    """`players:`: a roster file (.xlsx or .csv, relative to the contest file) or
    a YAML list of {number, name, team}; each `team` (Đơn vị) is a team id or
    name of this contest when the contest has teams, else kept as written."""
    entry = top.entry("players")
    if entry is None:
        return ()
    written = _as_text(entry.value)
    rows: list[tuple[int, str, str, str | None]] = []  # (row or line, number, name, unit)
    report, where = top.report, "line"
    if written is not None:
        rows, report, where = _roster_rows(top, entry, written, contest_path)
    else:
        found = top.sequence("players", "thi-sinh.xlsx, or [{number: '001', name: ...}, ...]")
        seen: dict[str, int] = {}
        for index, item in enumerate(found[1].items if found else (), start=1):
            if not isinstance(item, Map):
                top.problem(item.line, _wrong(f"player #{index}", "a mapping {number, name}", item))
                continue
            p = _Fields(top.report, item, f"player #{index}: ")
            p.check_keys(("number", "name", "team"), required=("number", "name"))
            number, name, unit = p.text("number"), p.text("name"), p.text("team")
            if number is None or name is None:
                continue
            if not _number_ok(number):  # the rule a roster's SBD follows
                p.problem(item.line, f"number '{number[:30]}' must be up to 20 letters or digits")
                continue
            if number in seen:
                p.problem(item.line, f"number '{number}' is already used (line {seen[number]})")
                continue
            seen[number] = item.line
            rows.append((item.line, number, name, unit))
    by_name = {t.id: t.id for t in teams} | {t.name.casefold(): t.id for t in teams}
    players: list[Player] = []
    for line, number, name, unit in rows:
        team = by_name.get(unit) or by_name.get(unit.casefold()) if unit else None
        if unit and teams and team is None:
            report.add(
                line,
                f"player '{number}': Đơn vị '{unit}' is not a team id or team name of this contest",
            )
            continue
        players.append(Player(number, name, team, unit, line))
    if not players and not report.problems and where == "line":
        top.problem(entry.key_line, "players lists no player")
    return tuple(players)


def _number_ok(number: str) -> bool:
    from quiz.files.roster import MAX_NUMBER, NUMBER_RULE

    return len(number) <= MAX_NUMBER and NUMBER_RULE.fullmatch(number) is not None


def _roster_rows(
    top: _Fields, entry: Entry, written: str, contest_path: str
) -> tuple[list[tuple[int, str, str, str | None]], _Report, str]:
    """Rows of a roster file; its problems are reported against that file, by row."""
    from quiz.files.roster import read_roster

    if os.path.isabs(written):
        top.problem(entry.key_line, f"players file '{written}' must be relative to the contest")
        return [], top.report, "line"
    if not written.lower().endswith((".xlsx", ".csv")):
        top.problem(entry.key_line, f"players file '{written}' must be .xlsx or .csv")
        return [], top.report, "line"
    path = os.path.join(os.path.dirname(contest_path), written)
    if not os.path.isfile(path):
        top.problem(entry.key_line, f"players file '{written}' not found (looked for {path})")
        return [], top.report, "line"
    found, problems = read_roster(path)
    roster_report = _Report(path)
    roster_report.problems = top.report.problems  # one list: the roster's rows named by file
    for problem in problems:
        roster_report.add(problem.row, problem.message)
    if not found and not problems:
        top.problem(entry.key_line, f"players file '{written}' lists no player")
    return [(r.row, r.number, r.name, r.unit) for r in found], roster_report, "row"


def _check_individual_rounds(
    top: _Fields, root: Map, rounds: tuple[Round, ...], players: tuple[Player, ...]
) -> None:
    """A round of individual players needs `players:`."""
    if players or top.entry("players") is not None:
        return
    for rnd in rounds:
        if rnd.format == "elimination":
            top.problem(rnd.line, f"round '{rnd.id}' (elimination) needs the contest's players:")


def _read_judges(top: _Fields) -> tuple[Judge, ...]:
    """`judges:` (contest-format.md `judged`): who scores the judged rounds."""
    found = top.sequence("judges", "[{id: gk-1, name: Ông Nguyễn Văn A}, ...]")
    if found is None:
        return ()
    judges: list[Judge] = []
    id_lines: dict[str, int] = {}
    for index, item in enumerate(found[1].items, start=1):
        if not isinstance(item, Map):
            top.problem(
                item.line, _wrong(f"judge #{index}", "a mapping {id: ..., name: ...}", item)
            )
            continue
        judge = _Fields(top.report, item, _prefix("judge", item, index))
        judge.check_keys(("id", "name"), required=("id", "name"))
        judge_id = judge.identifier("id", SLUG, _SLUG_RULE)
        name = judge.text("name")
        if judge_id is not None and _is_repeat(judge, judge_id, id_lines):
            continue
        if judge_id is not None and name is not None:
            judges.append(Judge(judge_id, name))
    return tuple(judges)
