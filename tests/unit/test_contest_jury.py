"""`jury:` in the contest file (contest-format.md "Jury"), and the jury's PIN."""

from __future__ import annotations

import json
from pathlib import Path

from test_contest import ALL_ROUND, contest_with, expect_one

from quiz.files.bank import load_contest
from quiz.live.access import load_access
from quiz.rules.model import JurySettings


def test_jury_settings_are_read_with_their_defaults(tmp_path: Path) -> None:
    path = contest_with(
        tmp_path, ALL_ROUND, "jury: {approve_corrections: true, appeal_window: 90}\n"
    )
    assert load_contest(path).jury == JurySettings(
        approve_corrections=True, appeals=True, appeal_window=90
    )
    path = contest_with(tmp_path, ALL_ROUND, "jury: {}\n")
    assert load_contest(path).jury == JurySettings()
    assert load_contest(contest_with(tmp_path, ALL_ROUND)).jury is None


def test_bad_jury_settings_name_their_line(tmp_path: Path) -> None:
    # rounds start at line 8 and hold one line, so `jury:` is line 9
    path = contest_with(tmp_path, ALL_ROUND, "jury:\n  appeal_window: 0\n")
    expect_one(path, 10, "jury.appeal_window", "a whole number from 1 to 3600")
    path = contest_with(tmp_path, ALL_ROUND, "jury:\n  appeals: sometimes\n")
    expect_one(path, 10, "jury.appeals", "true or false")
    path = contest_with(tmp_path, ALL_ROUND, "jury:\n  apeals: true\n")
    expect_one(path, 10, "unknown key 'jury.apeals'", "did you mean 'jury.appeals'?")
    path = contest_with(tmp_path, ALL_ROUND, "jury: yes\n")
    expect_one(path, 9, "jury", "a mapping")


def test_the_jury_pin_is_six_digits_kept_private_and_never_the_mcs(tmp_path: Path) -> None:
    contest = load_contest(contest_with(tmp_path, ALL_ROUND, "jury: {}\n"))
    file = tmp_path / "data" / "access.json"
    access = load_access(file, contest)
    assert access.jury_pin.isdigit() and len(access.jury_pin) == 6
    assert access.jury_pin != access.pin
    assert file.stat().st_mode & 0o077 == 0
    again = load_access(file, contest)
    assert again.jury_pin == access.jury_pin  # kept across restarts
    assert again.jury_token != again.mc_token
    assert again.jury_session_ok(again.jury_token) and not again.jury_session_ok(again.mc_token)
    assert not again.session_ok(again.jury_token)  # the jury's cookie is not the MC's
    assert again.jury_pin_ok(f" {again.jury_pin} ") and not again.jury_pin_ok(again.pin)
    chosen = load_access(file, contest, jury_pin="246813")
    assert chosen.jury_pin == "246813" and json.loads(file.read_text())["jury_pin"] == "246813"


def test_without_a_jury_there_is_no_jury_pin(tmp_path: Path) -> None:
    contest = load_contest(contest_with(tmp_path, ALL_ROUND))
    access = load_access(tmp_path / "access.json", contest)
    assert access.jury_pin == ""
    assert not access.jury_pin_ok("") and not access.jury_session_ok(access.jury_token)


def test_a_player_added_after_the_first_start_keeps_its_code(tmp_path: Path) -> None:
    # The join card printed for a late entry must still work after a restart.
    import dataclasses

    from quiz.rules.model import Player

    contest = load_contest(contest_with(tmp_path, ALL_ROUND))
    file = tmp_path / "data" / "access.json"
    first = dataclasses.replace(contest, players=(Player("001", "An"),))
    load_access(file, first)
    later = dataclasses.replace(first, players=(Player("001", "An"), Player("002", "Bình")))
    code = load_access(file, later).player_codes["002"]
    assert load_access(file, later).player_codes["002"] == code
    assert json.loads(file.read_text())["player_codes"]["002"] == code
