"""The catalogues: every message the code uses is in both languages, English
has no Vietnamese in it, and the screens and the rules use the contest's
language (or `?lang=`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI_CONTEST

from quiz.files import locale
from quiz.rules import text
from quiz.web import Config, create_app


def test_every_message_used_is_in_both_catalogues() -> None:
    found = locale.problems()
    hint = "python -m quiz.files.locale update, then translate"
    assert not found, "\n".join(found[:40]) + f"\n... {len(found)} problems: {hint}"


def test_a_missing_message_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "js"
    folder.mkdir()
    (folder / "x.js").write_text("Quiz.t('Một câu chưa dịch {n}', {n: 1});\n", encoding="utf-8")
    monkeypatch.setattr(locale, "SOURCES", ((folder, [("**.js", "javascript")], {"t": None}),))
    found = locale.problems()
    assert any("missing 'Một câu chưa dịch {n}'" in line and "en" in line for line in found)
    assert any("missing 'Một câu chưa dịch {n}'" in line and "/vi/" in line for line in found)


def test_tr_fills_fields_and_follows_the_installed_table() -> None:
    try:
        text.install({"Câu {n}": "Question {n}"})
        assert text.tr("Câu {n}", n=3) == "Question 3"
        assert text.tr("Chưa dịch") == "Chưa dịch"
    finally:
        text.install({})
    assert text.tr("Câu {n}", n=3) == "Câu 3"


def test_page_language_from_contest_and_query(tmp_path: Path) -> None:
    built = create_app(Config(MINI_CONTEST, tmp_path, async_mode="threading", pin="246810"))
    client = built.flask.test_client()
    assert '<html lang="vi">' in client.get("/board").get_data(as_text=True)
    page = client.get("/board?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page and "/i18n/en.js" in page
    script = client.get("/i18n/en.js")
    assert script.status_code == 200
    assert script.get_data(as_text=True).startswith("window.QUIZ_I18N = {")
    assert client.get("/i18n/xx.js").status_code == 404
