"""Tests of `quiz import`: spreadsheets and Word files, as import-formats.md describes them.

Every input is a real file built here with openpyxl, the csv module or
python-docx; every problem is asserted with its exact `FILE:ROW:` or
`FILE:paragraph N:`, and a failed import leaves no file behind.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from collections.abc import Sequence
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.cli import main
from quiz.files.bank import load_bank
from quiz.files.importers import Draft, ImportFailed, bank_yaml, default_bank_id, import_file
from quiz.rules.model import Bank, Question

HEADER = ["STT", "Mã", "Loại", "Câu hỏi", "A", "B", "C", "D", "Đáp án"]

# --- helpers -----------------------------------------------------------------------


def xlsx(path: Path, rows: Sequence[Sequence[object]], *, second_sheet: bool = True) -> str:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Câu hỏi"
    for row in rows:
        sheet.append(list(row))
    if second_sheet:
        other = workbook.create_sheet("Ghi chú")
        other.append(["Cột lạ", "không được đọc"])
    workbook.save(path)
    return str(path)


def csv_file(path: Path, rows: Sequence[Sequence[object]], *, delimiter: str, bom: bool) -> str:
    stream = io.StringIO()
    csv.writer(stream, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(stream.getvalue().encode("utf-8-sig" if bom else "utf-8"))
    return str(path)


class Word:
    """A Word document built paragraph by paragraph; `number` is the last paragraph's."""

    def __init__(self) -> None:
        self.document = docx.Document()
        self.number = 0

    def add(self, text: str = "", style: str | None = None) -> Paragraph:
        self.number += 1
        return self.document.add_paragraph(text, style=style)

    def choice(self, label: str, text: str, *, bold: bool = False, underline: bool = False) -> None:
        paragraph = self.add(label + " ")
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.underline = underline or None

    def save(self, path: Path) -> str:
        self.document.save(str(path))
        return str(path)


def imported(source: str, tmp_path: Path, **options: str) -> Bank:
    output = tmp_path / "out" / "bank.yaml"
    output.parent.mkdir(exist_ok=True)
    bank = import_file(source, str(output), **options).bank
    assert load_bank(output).questions == bank.questions
    return bank


def problems(source: str, tmp_path: Path) -> list[str]:
    """The problems of an import that fails; nothing may be written."""
    folder = tmp_path / "failed"
    folder.mkdir(exist_ok=True)
    with pytest.raises(ImportFailed) as info:
        import_file(source, str(folder / "bank.yaml"))
    assert list(folder.iterdir()) == []
    return [str(problem) for problem in info.value.problems]


def by_id(bank: Bank) -> dict[str, Question]:
    return {question.id: question for question in bank.questions}


# --- Spreadsheets ------------------------------------------------------------------


def test_an_xlsx_with_vietnamese_text_and_every_type(tmp_path: Path) -> None:
    source = xlsx(
        tmp_path / "Câu hỏi CCHC 2023.xlsx",
        [
            [
                "STT", " mã ", "LOẠI", "Cau Hoi", "a", "B", "C", "D", "Đáp Án",
                "Giải thích", "Nguồn", "Mức độ", "tags", "Thời gian", "Điểm", "tolerance",
            ],
            [
                1, "nq76", None,
                "Chương trình tổng thể giai đoạn 2021-2030 ban hành kèm văn bản nào?",
                "Nghị quyết số 30c/NQ-CP", "Nghị quyết số 76/NQ-CP", "Quyết định số 225/QĐ-TTg",
                "Nghị định số 61/2018/NĐ-CP", " b ", "Ban hành ngày 15/7/2021.",
                "Nghị quyết 76/NQ-CP ngày 15/7/2021", "Dễ", "chuong-trinh, nq76", 25, 10,
            ],
            [2, None, None, "Những nội dung nào thuộc Chương trình?", 2019, "No", "1.10",
             "Cải cách tài chính công", "A, c"],
            [],
            [4, None, "true_false", "Cổng Dịch vụ công quốc gia khai trương ngày 09/12/2019.",
             None, None, None, None, True],
            [5, None, "TRUE_FALSE", "Đề án 06 có 5 nhóm tiện ích.", None, None, None, None, "Sai"],
            [6, None, "text", "Cơ chế giải quyết tại một đầu mối là cơ chế gì?", None, None,
             None, None, "một cửa | cơ chế một cửa", None, None, "trung bình"],
            [7, None, "number", "SIPAS năm 2020 đạt bao nhiêu phần trăm?", None, None, None,
             None, "85,48", None, None, "khó", None, 20, 20, "0,5"],
            [8, None, "number", "Đề án 06 có bao nhiêu nhóm tiện ích?", None, None, None, None, 5],
            [9, None, "order", "Sắp xếp theo thời gian ban hành.", "Nghị định 61/2018/NĐ-CP",
             "Thông tư 01/2023/TT-VPCP", "Quyết định 93/2007/QĐ-TTg", None, "C, A, B"],
        ],
    )  # fmt: skip
    bank = imported(source, tmp_path)
    assert (bank.id, bank.title) == ("cau-hoi-cchc-2023", "Câu hỏi CCHC 2023")
    questions = by_id(bank)
    assert list(questions) == ["nq76", "q002", "q003", "q004", "q005", "q006", "q007", "q008"]
    first = questions["nq76"]
    assert (first.type, first.answer, first.level, first.tags) == (
        "single",
        "B",
        "easy",
        ("chuong-trinh", "nq76"),
    )
    assert first.choices[1] == ("B", "Nghị quyết số 76/NQ-CP")
    assert (first.time_limit, first.points, first.source) == (
        25,
        10,
        "Nghị quyết 76/NQ-CP ngày 15/7/2021",
    )
    several = questions["q002"]
    assert several.type == "multiple"
    assert several.answer == frozenset({"A", "C"})
    assert several.choices[:3] == (("A", "2019"), ("B", "No"), ("C", "1.10"))
    assert questions["q003"].answer is True
    assert questions["q004"].answer is False
    text = questions["q005"]
    assert (text.type, text.answer, text.level) == (
        "text",
        ("một cửa", "cơ chế một cửa"),
        "medium",
    )
    number = questions["q006"]
    assert (number.answer, number.tolerance, number.points, number.level) == (
        85.48,
        0.5,
        20,
        "hard",
    )
    assert questions["q007"].answer == 5.0
    order = questions["q008"]
    assert (order.type, order.answer) == ("order", ("C", "A", "B"))
    assert order.items[2] == ("C", "Quyết định 93/2007/QĐ-TTg")


def test_a_semicolon_csv_with_a_bom(tmp_path: Path) -> None:
    source = csv_file(
        tmp_path / "ngân hàng.csv",
        [
            ["STT", "Câu hỏi", "A", "B", "Đáp án", "Loại", "Mức độ"],
            [1, "Thời hạn hẹn lại tối đa mấy lần?", "Một lần", "Hai lần", "A", "", "dễ"],
            [2, "Tỷ lệ hồ sơ trực tuyến, tính theo phần trăm?", "", "", "1,5", "number", ""],
            ["", "", "", "", "", "", ""],
            [4, "Đúng hay sai: Nghị định 61/2018/NĐ-CP có hiệu lực từ 21/6/2018?", "", "",
             "đúng", "true_false", ""],
        ],
        delimiter=";",
        bom=True,
    )  # fmt: skip
    bank = imported(source, tmp_path, bank_id="ngan-hang", title="Ngân hàng")
    assert (bank.id, bank.title) == ("ngan-hang", "Ngân hàng")
    questions = by_id(bank)
    assert questions["q001"].answer == "A"
    assert questions["q001"].choices == (("A", "Một lần"), ("B", "Hai lần"))
    assert questions["q002"].answer == 1.5
    assert questions["q003"].answer is True  # the blank row is skipped, not counted


def test_a_comma_csv_without_a_bom_and_a_cell_over_several_lines(tmp_path: Path) -> None:
    source = csv_file(
        tmp_path / "cau-hoi.csv",
        [
            ["text", "A", "B", "C", "answer", "type", "time_limit", "explanation"],
            ["Cho các bước sau:\nChọn bước đầu tiên?", "Tiếp nhận, kiểm tra", "Trả kết quả",
             "Luân chuyển", "A", "single", "30", "Bước 1, 2, 3"],
            ["Sắp xếp?", "b", "a", "", "B,A", "order", "", ""],
        ],
        delimiter=",",
        bom=False,
    )  # fmt: skip
    bank = imported(source, tmp_path)
    first, second = bank.questions
    assert first.text == "Cho các bước sau:\nChọn bước đầu tiên?"
    assert first.choices[0] == ("A", "Tiếp nhận, kiểm tra")
    assert (first.time_limit, first.explanation) == (30, "Bước 1, 2, 3")
    assert second.answer == ("B", "A")


def test_the_written_bank_is_plain_readable_yaml(tmp_path: Path) -> None:
    source = csv_file(
        tmp_path / "q.csv",
        [["câu hỏi", "A", "B", "đáp án", "chủ đề"], ["Chọn?", "yes", "2019-01-01", "A,B", "x, y"]],
        delimiter=",",
        bom=False,
    )
    output = tmp_path / "q.yaml"
    import_file(source, str(output), title="Thử")
    assert output.read_text(encoding="utf-8") == (
        "# Imported by `quiz import` from q.csv.\n"
        "bank: q\n"
        "title: Thử\n"
        "questions:\n"
        "  - id: q001\n"
        "    type: multiple\n"
        "    text: Chọn?\n"
        "    choices:\n"
        "      A: 'yes'\n"
        "      B: '2019-01-01'\n"
        "    answer: [A, B]\n"
        "    tags: [x, y]\n"
    )
    assert oct(output.stat().st_mode & 0o777) != oct(0o600)


def test_the_bank_id_comes_from_the_file_name() -> None:
    assert default_bank_id("/x/Bộ câu hỏi CCHC (đợt 2).xlsx") == "bo-cau-hoi-cchc-dot-2"


# --- Broken spreadsheets ---------------------------------------------------------------


def test_a_missing_answer_is_reported_at_its_row(tmp_path: Path) -> None:
    source = xlsx(
        tmp_path / "a.xlsx",
        [
            HEADER,
            [1, None, None, "Câu 1?", "x", "y", None, None, "A"],
            [2, None, None, "Câu 2?", "x", "y"],
        ],
    )
    assert problems(source, tmp_path) == [f"{source}:3: the answer (đáp án) is empty"]


def test_an_unknown_column_is_reported_on_the_header_row(tmp_path: Path) -> None:
    source = xlsx(tmp_path / "a.xlsx", [[*HEADER, "Xyz", "Đáp an đung"], [1]])
    assert problems(source, tmp_path) == [
        f"{source}:1: unknown column 'Xyz' (column J)",
        f"{source}:1: unknown column 'Đáp an đung' (column K) (did you mean 'đáp án'?)",
    ]


def test_an_answer_letter_out_of_range_is_reported_at_its_row(tmp_path: Path) -> None:
    source = csv_file(
        tmp_path / "a.csv",
        [
            HEADER,
            [1, "", "", "Chọn?", "a", "b", "c", "d", "E"],
            [2, "", "", "Chọn?", "a", "b", "", "", "A, C"],
        ],
        delimiter=";",
        bom=True,
    )
    assert problems(source, tmp_path) == [
        f"{source}:2: the answer names E, which is not one of the choices A-D",
        f"{source}:3: the answer names C, which is not one of the choices A-B",
    ]


def test_bad_numbers_are_reported_at_their_rows(tmp_path: Path) -> None:
    source = xlsx(
        tmp_path / "a.xlsx",
        [
            ["Loại", "Câu hỏi", "Đáp án", "Thời gian", "Điểm", "tolerance"],
            ["number", "Bao nhiêu?", "12 %", None, None, None],
            ["number", "Bao nhiêu?", "1.234,5", 2, None, "-1"],
            ["true_false", "Đúng?", "Có lẽ", 20.5, "mười", None],
        ],
    )
    assert problems(source, tmp_path) == [
        f"{source}:2: the answer '12 %' is not a number (like 12, 0.5 or 0,5)",
        f"{source}:3: the answer '1.234,5' is not a number (like 12, 0.5 or 0,5)",
        f"{source}:3: tolerance '-1' must be a number >= 0",
        f"{source}:3: time_limit '2' must be a whole number from 3 to 600 seconds",
        f"{source}:4: the answer 'Có lẽ' of a true_false question must be Đúng or Sai "
        "(or true/false)",
        f"{source}:4: time_limit '20.5' must be a whole number from 3 to 600 seconds",
        f"{source}:4: points 'mười' must be a whole number from 0 to 1000",
    ]


def test_a_duplicate_id_and_a_clash_with_a_made_id_are_reported(tmp_path: Path) -> None:
    row = ["Chọn?", "a", "b", "A"]
    source = xlsx(
        tmp_path / "a.xlsx",
        [["Mã", "Câu hỏi", "A", "B", "Đáp án"], ["q1", *row], ["q1", *row], [None, *row]]
        + [["q003", *row]],
    )
    assert problems(source, tmp_path) == [
        f"{source}:3: id 'q1' is already used at row 2",
        f"{source}:4: this row has no id and would get 'q003', which row 5 already has; "
        "give this row an id",
    ]


def test_an_empty_file_is_reported_on_row_1(tmp_path: Path) -> None:
    empty_csv = tmp_path / "empty.csv"
    empty_csv.write_bytes(b"")
    empty_xlsx = xlsx(tmp_path / "empty.xlsx", [], second_sheet=False)
    header_only = xlsx(tmp_path / "header.xlsx", [HEADER, [], []])
    assert problems(str(empty_csv), tmp_path) == [f"{empty_csv}:1: the file is empty"]
    assert problems(empty_xlsx, tmp_path) == [f"{empty_xlsx}:1: the file is empty"]
    assert problems(header_only, tmp_path) == [
        f"{header_only}:1: no questions: every row below the header is empty"
    ]


def test_rows_of_many_kinds_of_mistake_are_all_reported(tmp_path: Path) -> None:
    source = csv_file(
        tmp_path / "a.csv",
        [
            [*HEADER, "Mức độ", "tags"],
            [1, "câu 1", "single", "", "a", "", "c", "", "A", "rất khó", ""],
            [2, "", "singel", "Chọn?", "a", "b", "", "", "A", "", ""],
            [3, "", "", "Đúng hay sai?", "", "", "", "", "Đúng", "", ""],
            [4, "", "text", "Tên?", "a", "", "", "", "x", "", "t" * 41],
            [5, "", "single", "Chọn?", "a", "b", "", "", "A, B", "", ""],
            [6, "", "order", "Xếp?", "a", "b", "c", "", "A, B", "", ""],
            [7, "", "multiple", "Chọn?", "a", "b", "", "", "A, A", "", ""],
        ],
        delimiter=";",
        bom=False,
    )
    assert problems(source, tmp_path) == [
        f"{source}:2: id 'câu 1' must be letters, digits, '_', '.' and '-', starting with a "
        "letter or digit",
        f"{source}:2: column B is empty but column C is filled; fill the choices from A "
        "without a gap",
        f"{source}:2: the question's text (câu hỏi) is empty",
        f"{source}:2: level 'rất khó' must be easy, medium or hard (dễ, trung bình, khó)",
        f"{source}:3: type 'singel' is not one of single, multiple, true_false, text, number, "
        "order (did you mean 'single'?)",
        f"{source}:4: no type and no choices: write the type (true_false, text, number or "
        "order), or the choices in columns A, B ...",
        f"{source}:5: a text question has no choices; empty the columns A",
        f"{source}:5: tag '{'t' * 41}' is longer than 40 characters",
        f"{source}:6: a single question has one answer letter; for several letters, write the "
        "type multiple (or leave the type empty)",
        f"{source}:7: the answer of an order question lists every item once; missing C",
        f"{source}:8: the answer names A twice",
    ]


def test_a_problem_found_when_loading_is_reported_at_its_row(tmp_path: Path) -> None:
    source = xlsx(
        tmp_path / "a.xlsx",
        [["Câu hỏi", "A", "B", "Đáp án", "Hình ảnh"], ["Chọn?", "a", "b", "A", None],
         ["Ảnh nào?", "a", "b", "B", "anh/cong-dvc.png"]],
    )  # fmt: skip
    folder = tmp_path / "failed"
    assert problems(source, tmp_path) == [
        f"{source}:3: question 'q002': image 'anh/cong-dvc.png' does not exist "
        f"(looked for {folder / 'anh' / 'cong-dvc.png'})"
    ]


def test_files_that_are_not_what_they_say_are_reported(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"C\xe2u h\xf3i;\xd0\xe1p \xe1n\nx;y\n")  # Latin-1, not UTF-8
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    other = tmp_path / "bank.ods"
    other.write_text("x", encoding="utf-8")
    assert problems(str(latin), tmp_path) == [
        f"{latin}:1: the file is not UTF-8 text (byte 0xe2); save it as 'CSV UTF-8'"
    ]
    (message,) = problems(str(fake), tmp_path)
    assert message.startswith(f"{fake}:1: cannot read the file as an Excel workbook (.xlsx)")
    assert problems(str(other), tmp_path) == [
        f"{other}:1: can only import .xlsx, .csv and .docx files (save .xls and .doc as those)"
    ]
    assert problems(str(tmp_path / "none.csv"), tmp_path) == [
        f"{tmp_path / 'none.csv'}:1: file not found"
    ]


def test_a_bad_bank_id_or_date_is_reported_with_the_file_problems(tmp_path: Path) -> None:
    source = csv_file(tmp_path / "a.csv", [["Câu hỏi"], ["x"]], delimiter=",", bom=False)
    with pytest.raises(ImportFailed) as info:
        import_file(source, str(tmp_path / "b.yaml"), bank_id="Bộ 1", as_of="29/8/2023")
    assert [str(problem) for problem in info.value.problems] == [
        f"{source}:1: the bank id 'Bộ 1' must be lower-case letters, digits and '-' "
        "(give one with --bank)",
        f"{source}:1: --as-of '29/8/2023' must be a date like 2023-08-29",
        f"{source}:1: no column answer (đáp án)",
    ]
    assert not (tmp_path / "b.yaml").exists()


# --- Word documents -------------------------------------------------------------------


def test_a_word_document_with_bold_answers(tmp_path: Path) -> None:
    word = Word()
    word.add("HỘI THI CẢI CÁCH HÀNH CHÍNH NĂM 2023")
    word.add("Đáp án: đây là hướng dẫn, không phải câu hỏi")
    word.add("")
    word.add("Câu 1. Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030")
    word.add("được ban hành kèm theo văn bản nào?")
    word.choice("A.", "Nghị quyết số 30c/NQ-CP")
    word.choice("B.", "Nghị quyết số 76/NQ-CP", bold=True)
    word.choice("C.", "Quyết định số 225/QĐ-TTg")
    word.choice("D.", "Nghị định số 61/2018/NĐ-CP")
    word.add("Giải thích: Nghị quyết 76/NQ-CP ngày 15/7/2021.")
    word.add("Nguồn: Nghị quyết 76/NQ-CP ngày 15/7/2021")
    word.add("CÂU 2: Những nội dung nào thuộc Chương trình tổng thể?")
    word.choice("A)", "Cải cách thể chế", bold=True)
    word.choice("B)", "Cải cách giáo dục")
    word.choice("C)", "Cải cách thủ tục hành chính", underline=True)
    word.document.add_table(rows=1, cols=1).cell(0, 0).text = "Câu 9. Trong bảng: bỏ qua"
    bank = imported(word.save(tmp_path / "đề thi.docx"), tmp_path)
    first, second = bank.questions
    assert first.id == "q001"
    assert first.text == (
        "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030\n"
        "được ban hành kèm theo văn bản nào?"
    )
    assert (first.type, first.answer) == ("single", "B")
    assert first.choices[3] == ("D", "Nghị định số 61/2018/NĐ-CP")
    assert (first.explanation, first.source) == (
        "Nghị quyết 76/NQ-CP ngày 15/7/2021.",
        "Nghị quyết 76/NQ-CP ngày 15/7/2021",
    )
    assert (second.id, second.type, second.answer) == ("q002", "multiple", frozenset("AC"))


def test_a_word_document_with_answers_underlined_by_style(tmp_path: Path) -> None:
    word = Word()
    styles = word.document.styles
    marked = styles.add_style("Phương án đúng", WD_STYLE_TYPE.PARAGRAPH)
    marked.font.underline = True
    emphasis = styles.add_style("Nhấn mạnh", WD_STYLE_TYPE.CHARACTER)
    emphasis.font.bold = True
    word.add("Câu 1) Cơ quan nào chủ trì Đề án 06?")
    word.add("A: Bộ Công an", style="Phương án đúng")
    word.add("B: Văn phòng Chính phủ")
    word.add("Câu 2. Cổng Dịch vụ công quốc gia do cơ quan nào quản lý?")
    word.add("A. Bộ Thông tin và Truyền thông")
    paragraph = word.add("B. ")
    paragraph.add_run("Văn phòng Chính phủ", style="Nhấn mạnh")
    bank = imported(word.save(tmp_path / "style.docx"), tmp_path)
    assert [(q.type, q.answer) for q in bank.questions] == [("single", "A"), ("single", "B")]


def test_a_word_document_with_answer_lines_true_false_and_text(tmp_path: Path) -> None:
    word = Word()
    word.add("Câu 1. Chọn văn bản quy định cơ chế một cửa?")
    word.choice("A.", "Nghị định 61/2018/NĐ-CP")
    word.choice("B.", "Nghị định 63/2010/NĐ-CP", bold=True)  # the Đáp án line wins
    word.add("Đáp án: A")
    word.add("Câu 2. Chọn các văn bản về một cửa?")
    word.choice("A.", "Nghị định 61/2018/NĐ-CP")
    word.choice("B.", "Nghị định 107/2021/NĐ-CP")
    word.choice("C.", "Luật Viên chức")
    word.add("Đáp án đúng: a, B")
    word.add("Câu 3. Chọn?")
    word.choice("A.", "x")
    word.choice("B.", "y")
    word.add("ĐA: B. y")
    word.add("Câu 4. Cổng Dịch vụ công quốc gia khai trương ngày 09/12/2019.")
    word.add("Đáp án: Đúng")
    word.add("Giải thích:")
    word.add("Khai trương ngày 09/12/2019")
    word.add("tại Hà Nội.")
    word.add("Câu 5. Hẹn lại ngày trả kết quả được tối đa hai lần.")
    word.add("đáp án : sai.")
    word.add("Câu 6. Cơ chế giải quyết thủ tục tại một đầu mối là cơ chế gì?")
    word.add("Đáp án: một cửa | cơ chế một cửa")
    bank = imported(word.save(tmp_path / "lines.docx"), tmp_path)
    assert [(q.type, q.answer) for q in bank.questions] == [
        ("single", "A"),
        ("multiple", frozenset("AB")),
        ("single", "B"),
        ("true_false", True),
        ("true_false", False),
        ("text", ("một cửa", "cơ chế một cửa")),
    ]
    assert bank.questions[3].explanation == "Khai trương ngày 09/12/2019\ntại Hà Nội."


def test_a_word_question_without_choices_and_a_letter_for_answer_is_text(tmp_path: Path) -> None:
    """import-formats.md: without choices, any answer but Đúng/Sai is `text`;
    only a question whose paragraphs Word numbers itself (lost choices) is refused."""
    word = Word()
    word.add("Câu 1. Vitamin nào được tổng hợp khi da tiếp xúc ánh nắng?")
    word.add("Đáp án: D")
    word.add("Câu 2. Hai chữ cái đầu của bảng chữ cái?")
    word.add("Đáp án: A, B")
    bank = imported(word.save(tmp_path / "letters.docx"), tmp_path)
    assert [(q.type, q.answer) for q in bank.questions] == [("text", ("D",)), ("text", ("A, B",))]


def test_a_word_document_with_a_note_for_reviewers(tmp_path: Path) -> None:
    word = Word()
    word.add("Câu 1. Hẹn lại ngày trả kết quả được tối đa hai lần.")
    word.add("Đáp án: Sai")
    word.add("Nguồn: Nghị định 61/2018/NĐ-CP ngày 23/4/2018, Điều 19")
    word.add("Ghi chú: cần đối chiếu khoản của Điều 19")
    word.add("với bản gốc.")
    word.add("Câu 2. Cơ chế giải quyết thủ tục tại một đầu mối là cơ chế gì?")
    word.add("ghi chú : đáp án chấp nhận cả 'cơ chế một cửa'")
    word.add("Đáp án: một cửa | cơ chế một cửa")
    first, second = imported(word.save(tmp_path / "note.docx"), tmp_path).questions
    assert first.source == "Nghị định 61/2018/NĐ-CP ngày 23/4/2018, Điều 19"
    assert first.note == "cần đối chiếu khoản của Điều 19\nvới bản gốc."
    assert second.note == "đáp án chấp nhận cả 'cơ chế một cửa'"
    assert second.answer == ("một cửa", "cơ chế một cửa")


def test_broken_word_documents_are_reported_at_their_paragraphs(tmp_path: Path) -> None:
    word = Word()
    word.add("Đề thi")
    word.add("")
    word.add("Câu 1. Không có đáp án?")  # 3
    word.choice("A.", "x")
    word.choice("B.", "y")
    word.add("Câu 2. Đáp án ngoài phạm vi?")  # 6
    word.choice("A.", "x")
    word.choice("B.", "y")
    word.add("Đáp án: D")  # 9
    word.add("Câu 3. Phương án lộn xộn?")  # 10
    word.choice("A.", "x")
    word.choice("C.", "y")  # 12
    word.add("Đáp án: A")
    word.add("Câu 4. Dòng lạ sau phương án?")  # 14
    word.choice("A.", "x")
    word.choice("B.", "y", bold=True)
    word.add("Lưu ý: câu này dễ")  # 17
    word.add("Câu 5.")  # 18
    word.add("Đáp án: Đúng")
    word.add("Câu 6. Mọi phương án in đậm?")  # 20
    word.choice("A.", "x", bold=True)
    word.choice("B.", "y", bold=True)
    word.add("Câu 7. Không có đáp án và không có phương án.")  # 23
    word.add("Câu 8. Phương án đánh số tự động của Word?")  # 24
    word.add("Nghị quyết 76/NQ-CP", style="List Number")
    word.add("Nghị quyết 30c/NQ-CP", style="List Number")
    word.add("Đáp án: A")  # 27
    source = word.save(tmp_path / "hong.docx")
    assert problems(source, tmp_path) == [
        f"{source}:paragraph 3: no answer: add a line 'Đáp án: B', or make the correct choice "
        "bold or underlined",
        f"{source}:paragraph 9: the answer names D, which is not one of the choices A-B",
        f"{source}:paragraph 12: choice C where B was expected (choices run A, B, C ... in order)",
        f"{source}:paragraph 17: 'Lưu ý: câu này dễ' is not a choice, an 'Đáp án:', "
        "'Giải thích:', 'Nguồn:' or 'Ghi chú:' line, nor the next 'Câu'",
        f"{source}:paragraph 18: the question has no text",
        f"{source}:paragraph 20: every choice is bold or underlined, so none stands out as "
        "the answer; add a line 'Đáp án: B'",
        f"{source}:paragraph 23: no answer: add a line 'Đáp án: ...' (Đúng or Sai, or the text)",
        f"{source}:paragraph 27: the answer 'A' names a choice, but the question has no "
        "paragraphs 'A. ...' (choices numbered automatically by Word are not read: type A., "
        "B. ...)",
    ]


def test_a_word_document_without_questions_is_reported(tmp_path: Path) -> None:
    word = Word()
    word.add("Danh sách câu hỏi")
    word.add("1. Câu hỏi không đúng mẫu?")
    source = word.save(tmp_path / "none.docx")
    assert problems(source, tmp_path) == [
        f"{source}:paragraph 1: no questions: each question starts with a paragraph "
        "'Câu 1.', 'Câu 2.' ..."
    ]


# --- The YAML written ---------------------------------------------------------------------

TRICKY = [
    "yes", "No", "1.10", "2019", "2019-01-01", "null", "~", "=", "<<", "- a", "a: b", "#x",
    "'q'", '"q"', "@x", "*x", "&x", "!x", "%x", "[a]", "{a}", "a #b", "x\ny", "tab\there",
    "Điều 4: một cửa", "100%", "true", "0x1F", "1e3", ".5", "+1", "0o7",
]  # fmt: skip


def _loaded_choices(tmp_path: Path, texts: Sequence[str]) -> list[str]:
    drafts = [
        Draft("1", {"id": f"q{n}", "type": "single", "text": text, "choices": {"A": text, "B": "b"},
                    "answer": "A"})
        for n, text in enumerate(texts)
    ]  # fmt: skip
    yaml_text, _ = bank_yaml("t", "T", drafts, as_of="2023-08-29", origin="x.csv")
    path = tmp_path / "t.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    bank = load_bank(path)
    assert bank.as_of == "2023-08-29"
    assert [q.text for q in bank.questions] == list(texts)
    return [q.choices[0][1] for q in bank.questions]


def test_texts_yaml_would_misread_are_written_so_they_load_as_written(tmp_path: Path) -> None:
    assert _loaded_choices(tmp_path, TRICKY) == TRICKY


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1).filter(lambda t: t.strip()), min_size=1, max_size=5))
def test_any_text_is_written_so_it_loads_as_written(texts: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        assert _loaded_choices(Path(folder), texts) == texts


# --- The command -----------------------------------------------------------------------


def test_the_import_command_reports_success_and_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = csv_file(
        tmp_path / "good.csv",
        [["Câu hỏi", "A", "B", "Đáp án", "Nguồn"], ["Chọn?", "x", "y", "B", "Nghị định 61/2018"]],
        delimiter=";",
        bom=True,
    )
    output = tmp_path / "good.yaml"
    assert main(["import", good, "-o", str(output), "--title", "Tốt", "--as-of", "2023-08-29"]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"{output}: bank 'good', 1 question (single 1)\n"
    assert captured.err == ""
    assert load_bank(output).as_of == "2023-08-29"

    bad = csv_file(
        tmp_path / "bad.csv", [["Câu hỏi", "Đáp án"], ["Chọn?", ""]], delimiter=",", bom=False
    )
    assert main(["import", bad, "-o", str(tmp_path / "bad.yaml")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"{bad}:2: the answer (đáp án) is empty",
        f"{bad}:2: no type and no choices: write the type (true_false, text, number or order), "
        "or the choices in columns A, B ...",
        f"nothing written to {tmp_path / 'bad.yaml'}",
    ]
    assert not (tmp_path / "bad.yaml").exists()


def test_the_import_command_shows_warnings_at_the_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = xlsx(
        tmp_path / "w.xlsx",
        [["Câu hỏi", "A", "B", "Đáp án", "Thời gian"], ["Chọn?", "x", "y", "B", 3]],
    )
    assert main(["import", source, "-o", str(tmp_path / "w.yaml")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{source}:2: warning: question 'q001': no source")
    assert err[1].startswith(f"{source}:2: warning: question 'q001': time limit 3 s")


def test_an_existing_bank_is_replaced_only_by_a_good_import(tmp_path: Path) -> None:
    output = tmp_path / "bank.yaml"
    output.write_text("old", encoding="utf-8")
    bad = csv_file(
        tmp_path / "bad.csv", [["Câu hỏi", "Đáp án"], ["", "A"]], delimiter=",", bom=False
    )
    with pytest.raises(ImportFailed):
        import_file(bad, str(output))
    assert output.read_text(encoding="utf-8") == "old"
    assert sorted(os.listdir(tmp_path)) == ["bad.csv", "bank.yaml"]


def test_dates_typed_into_a_spreadsheet_become_the_text_shown(tmp_path: Path) -> None:
    source = xlsx(
        tmp_path / "d.xlsx",
        [["Câu hỏi", "A", "B", "Đáp án"], ["Ngày nào?", datetime.datetime(2019, 12, 9), "x", "A"]],
    )
    (question,) = imported(source, tmp_path).questions
    assert question.choices[0] == ("A", "09/12/2019")
