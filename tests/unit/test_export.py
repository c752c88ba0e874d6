"""Tests of `quiz export-bank` and the template: the round trip, and the shipped template."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from quiz.cli import main
from quiz.files.bank import LoadError, load_bank
from quiz.files.export import (
    GUIDE_SHEET,
    QUESTIONS_SHEET,
    TEMPLATE_NAME,
    bank_rows,
    build_workbook,
    csv_text,
    export_bank,
    template_rows,
)
from quiz.files.importers import COLUMNS, import_file
from quiz.rules.model import Bank, Question

ROOT = Path(__file__).resolve().parents[2]
BANKS = sorted((ROOT / "question_banks").glob("cchc-*.yaml"))
TEMPLATES = ROOT / "question_banks" / "templates"


def comparable(questions: tuple[Question, ...]) -> list[Question]:
    """Questions as loaded, without where they were written."""
    return [replace(question, file="", line=0) for question in questions]


def round_trip(bank: Bank, spreadsheet: Path, output: Path) -> Bank:
    export_bank(bank.file, str(spreadsheet))
    return import_file(
        str(spreadsheet), str(output), bank_id=bank.id, title=bank.title, as_of=bank.as_of
    ).bank


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("path", BANKS, ids=[path.stem for path in BANKS])
def test_a_shipped_bank_comes_back_the_same(path: Path, suffix: str, tmp_path: Path) -> None:
    bank = load_bank(path)
    again = round_trip(bank, tmp_path / f"bank{suffix}", tmp_path / "again.yaml")
    assert (again.id, again.title, again.as_of, again.language) == (
        bank.id,
        bank.title,
        bank.as_of,
        bank.language,
    )
    assert comparable(again.questions) == comparable(bank.questions)


NOTED_BANK = """\
bank: ghi-chu
title: Ghi chú
questions:
  - id: q1
    type: true_false
    text: Hẹn lại ngày trả kết quả được tối đa hai lần.
    answer: false
    source: Nghị định 61/2018/NĐ-CP ngày 23/4/2018, Điều 19
    note: "Cần đối chiếu: bản gốc, Điều 19"
  - {id: q2, type: text, text: "Cơ chế gì?", answer: một cửa}
"""


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_note_goes_to_its_own_column_and_comes_back(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / "ghi-chu.yaml"
    path.write_text(NOTED_BANK, encoding="utf-8")
    bank = load_bank(path)
    again = round_trip(bank, tmp_path / f"bank{suffix}", tmp_path / "again.yaml")
    assert [q.note for q in again.questions] == ["Cần đối chiếu: bản gốc, Điều 19", None]
    assert comparable(again.questions) == comparable(bank.questions)
    keys, rows = bank_rows(bank)
    assert "Ghi chú" in csv_text(keys, rows).splitlines()[0].split(";")


def test_the_export_has_the_template_layout(tmp_path: Path) -> None:
    bank = load_bank(BANKS[0])
    output = tmp_path / "bank.xlsx"
    export_bank(bank.file, str(output))
    workbook = openpyxl.load_workbook(output)
    assert workbook.sheetnames == [QUESTIONS_SHEET, GUIDE_SHEET]
    sheet = workbook[QUESTIONS_SHEET]
    header = [cell.value for cell in sheet[1]]
    assert header == ["STT"] + [column.heading for column in COLUMNS if column.key not in "GH"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width == 60
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    assert len(rows) == len(bank.questions)
    first = bank.questions[0]
    assert rows[0][:4] == (1, first.id, first.type, first.text)


def test_texts_a_spreadsheet_would_change_are_kept(tmp_path: Path) -> None:
    folder = tmp_path / "banks"
    (folder / "anh").mkdir(parents=True)
    (folder / "anh" / "cong.png").write_bytes(b"\x89PNG")
    source = folder / "bank.yaml"
    source.write_text(
        """\
bank: thu
title: Thử
defaults: {time_limit: 30, points: 5}
questions:
  - id: q1
    type: single
    text: "=1+1"
    choices: {A: "1.10", B: "09/12/2019", C: "TRUE", D: "Dòng 1\\nDòng 2"}
    answer: C
    image: anh/cong.png
  - id: q2
    type: order
    text: Xếp bảy mục
    items: {A: a, B: b, C: c, D: d, E: e, F: f, G: g}
    answer: [G, F, E, D, C, B, A]
    points: 0
  - id: q3
    type: number
    text: Bao nhiêu?
    answer: 0.1
    tolerance: 0
    unit: "%"
  - id: q4
    type: text
    text: Gì?
    answer: ["a, b", c]
    ignore_diacritics: true
""",
        encoding="utf-8",
    )
    bank = load_bank(source)
    for suffix in (".xlsx", ".csv"):
        again = round_trip(bank, folder / f"x{suffix}", folder / "again.yaml")
        assert comparable(again.questions) == comparable(bank.questions)


def test_a_question_a_spreadsheet_cannot_hold_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "bank.yaml"
    source.write_text(
        "bank: b\ntitle: B\nquestions:\n"
        "  - {id: q1, type: text, text: T, answer: ['a|b']}\n"
        "  - {id: q2, type: true_false, text: T2, answer: true, tags: ['x,y']}\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as info:
        bank_rows(load_bank(source))
    assert [str(problem) for problem in info.value.problems] == [
        f"{source}:4: question 'q1': cannot be written to a spreadsheet: accepted answer "
        "'a|b' holds '|'",
        f"{source}:5: question 'q2': cannot be written to a spreadsheet: tag 'x,y' holds ','",
    ]


def test_the_export_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = tmp_path / "cchc-mot-cua.yaml"
    shutil.copy(ROOT / "question_banks" / "cchc-mot-cua.yaml", bank)
    output = tmp_path / "mot-cua.xlsx"
    assert main(["export-bank", str(bank), "-o", str(output)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{output}: 38 questions of bank 'cchc-mot-cua'"
    assert out[1] == (
        f"  import it back with: quiz import {output} -o {bank} --bank cchc-mot-cua "
        "--title 'Cơ chế một cửa, một cửa liên thông' --as-of 2023-08-29"
    )
    assert main(["export-bank", str(bank), "-o", str(tmp_path / "x.ods")]) == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("bank: b\n", encoding="utf-8")
    assert main(["export-bank", str(broken), "-o", str(tmp_path / "b.xlsx")]) == 1
    assert not (tmp_path / "b.xlsx").exists()


# --- The template ---------------------------------------------------------------------


def _sheet_values(workbook: openpyxl.Workbook) -> dict[str, list[tuple[object, ...]]]:
    return {
        sheet.title: [row for row in sheet.iter_rows(values_only=True) if any(row)]
        for sheet in workbook.worksheets
    }


def test_the_shipped_template_is_up_to_date() -> None:
    """Regenerate with `python -m quiz.files.export` when this fails."""
    keys, rows = template_rows()
    shipped = openpyxl.load_workbook(TEMPLATES / f"{TEMPLATE_NAME}.xlsx")
    fresh = build_workbook(keys, rows)
    assert _sheet_values(shipped) == _sheet_values(fresh)
    for name in (QUESTIONS_SHEET, GUIDE_SHEET):
        widths = {k: d.width for k, d in shipped[name].column_dimensions.items()}
        assert widths == {k: d.width for k, d in fresh[name].column_dimensions.items()}
    assert shipped[QUESTIONS_SHEET].freeze_panes == "A2"
    csv_bytes = (TEMPLATES / f"{TEMPLATE_NAME}.csv").read_bytes()
    assert csv_bytes == csv_text(keys, rows).encode("utf-8-sig")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_template_imports_with_every_type(suffix: str, tmp_path: Path) -> None:
    bank = import_file(str(TEMPLATES / f"{TEMPLATE_NAME}{suffix}"), str(tmp_path / "mau.yaml")).bank
    assert [q.type for q in bank.questions] == [
        "single",
        "multiple",
        "true_false",
        "text",
        "number",
        "order",
    ]
    number = bank.questions[4]
    assert (number.answer, number.tolerance, number.unit) == (85.48, 0.5, "%")
    assert all(q.source and q.explanation and q.level and q.tags for q in bank.questions)
