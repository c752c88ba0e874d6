"""Content checks of `quiz check --strict` (quiz.files.review_content), on banks the tests write."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest

from quiz.files.bank import load_banks
from quiz.files.check import run_check
from quiz.files.review import SourceLines, review
from quiz.files.review_content import dates, documents, names_a_document

HEAD = "bank: demo\ntitle: Demo\nquestions:\n"  # the first question starts at line 4
SOURCE = "Nghị định 61/2018/NĐ-CP ngày 23/4/2018"


def bank_file(folder: Path, *questions: str, name: str = "demo") -> str:
    items = []
    for question in questions:
        lines = textwrap.dedent(question).strip("\n").splitlines()
        items.append("\n".join(["  - " + lines[0]] + ["    " + line for line in lines[1:]]))
    path = folder / f"{name}.yaml"
    path.write_text(HEAD + "\n".join(items) + "\n", encoding="utf-8")
    return str(path)


def tf(qid: str, answer: bool, text: str = "", source: str = SOURCE, extra: str = "") -> str:
    """A true/false question, 5 lines (more with `extra`)."""
    text = text or f"Mệnh đề số {qid} về cơ chế một cửa"
    return (
        f"id: {qid}\ntype: true_false\ntext: {text}\nanswer: {str(answer).lower()}\n"
        f"source: {source}{extra}"
    )


def warnings_of(*paths: str) -> list[str]:
    return [str(w) for w in review(load_banks(paths), SourceLines())]


# --- Sources -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "word"),
    [
        ("Nghị định 61/2018/NĐ-CP ngày 23/4/2018 (cần đối chiếu văn bản gốc)", "can doi chieu"),
        ("Quyết định 06/QĐ-TTg ngày 06/01/2022 (theo Runsystem, nguồn thứ cấp)", "nguon thu cap"),
        ("Nghị quyết 76/NQ-CP ngày 15/7/2021 (theo tóm tắt của VietnamPlus)", "theo tom tat"),
        ("Phiên họp thứ tư, năm 2023 suy ra từ thứ tự, 61/2018/NĐ-CP", "suy ra"),
        ("Nghị định 61/2018/NĐ-CP — CẦN KIỂM TRA lại", "can kiem tra"),
    ],
)
def test_a_source_that_reads_as_a_draft_note_is_reported_at_it(
    tmp_path: Path, source: str, word: str
) -> None:
    path = bank_file(tmp_path, tf("q1", True, source=source), tf("q2", False))
    (warning,) = warnings_of(path)
    assert warning.startswith(f"{path}:8: warning: question 'q1': source reads as a reviewer's")
    assert f"'{word}'" in warning and "'note'" in warning


@pytest.mark.parametrize(
    "source",
    [
        "Bộ Nội vụ, công bố PAR INDEX 2022",
        "Quyết định 876/QĐ-BNV của Bộ Nội vụ",  # a number without its year needs a date
        "Lễ khai trương Cổng Dịch vụ công quốc gia ngày 09/12/2019",  # a date is no document
        "Cổng TTĐT tỉnh Hòa Bình, tin ngày 29/8/2023",
    ],
)
def test_a_source_naming_no_document_is_reported(tmp_path: Path, source: str) -> None:
    path = bank_file(tmp_path, tf("q1", True, source=source), tf("q2", False))
    (warning,) = warnings_of(path)
    assert warning.startswith(f"{path}:8: warning: question 'q1': source names no document")
    assert "bao-chi" in warning


@pytest.mark.parametrize(
    "source",
    [
        "Nghị quyết 76/NQ-CP ngày 15/7/2021 của Chính phủ",
        "Quyết định 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ",
        "Luật Tổ chức chính quyền địa phương số 77/2015/QH13, Điều 6",
        "Chỉ thị 23/CT-TTg ngày 26/5/2017",
        "Nghị định 61/2018",
        "Thông tư 01/2023/TT-VPCP ngày 05/4/2023 của Văn phòng Chính phủ",
    ],
)
def test_a_citation_is_not_reported(tmp_path: Path, source: str) -> None:
    path = bank_file(tmp_path, tf("q1", True, source=source), tf("q2", False))
    assert warnings_of(path) == []
    assert names_a_document(source)


def test_a_press_source_on_purpose_is_not_asked_for_a_document(tmp_path: Path) -> None:
    path = bank_file(
        tmp_path,
        tf("q1", True, source="Báo Hòa Bình, kết quả PAR INDEX 2022"),
        tf(
            "q2", False, source="Lễ khai trương Cổng DVCQG (VietnamPlus)", extra="\ntags: [bao-chi]"
        ),
        tf("q3", True, source="Tạp chí Tổ chức nhà nước, số 8/2023"),
        tf("q4", False, source="Báo Chính phủ (nguồn thứ cấp)"),
    )
    (warning,) = warnings_of(path)  # a draft note stays a draft note in a press source
    assert warning.startswith(f"{path}:24: warning: question 'q4': source reads as a reviewer's")


def test_documents_and_dates_are_read_as_vietnamese_texts_write_them() -> None:
    text = "Theo Nghị định số 61/2018/NĐ-CP và Nghị quyết 30c/NQ-CP, Luật 77/2015/QH13, tỷ lệ 2/3"
    assert [d.number for d in documents(text)] == ["61/2018/NĐ-CP", "30c/NQ-CP", "77/2015/QH13"]
    assert [d.year for d in documents(text)] == [2018, None, 2015]
    assert [str(d) for d in dates("ngày 15/07/2021, ngày 9 tháng 12 năm 2019, 31/2/2020")] == [
        "15/7/2021",
        "9/12/2019",
        "31/2/2020",
    ]
    assert dates("tỷ lệ 45/13/2020 hay 2021-2030") == []


# --- True/false ------------------------------------------------------------------------


def test_a_statement_dating_a_document_in_another_year_than_its_number(tmp_path: Path) -> None:
    path = bank_file(
        tmp_path,
        tf("q1", False, "Quyết định 93/2007/QĐ-TTg được ban hành ngày 22/6/2008."),
        tf("q2", True, "Thông tư 01/2023/TT-VPCP được ký ban hành ngày 05/4/2022."),
        tf("q3", True, "Luật 77/2015/QH13 có hiệu lực thi hành từ ngày 01/01/2016."),
        tf("q4", False, "Nghị định 61/2018/NĐ-CP ngày 23/4/2018 có 5 chương."),
    )
    assert warnings_of(path) == [
        f"{path}:6: warning: question 'q1': the statement dates 93/2007/QĐ-TTg 22/6/2008, but "
        "its number says 2007, so the statement refutes itself: the number gives the answer away",
        f"{path}:11: warning: question 'q2': the statement dates 01/2023/TT-VPCP 5/4/2022, but "
        "its number says 2023, yet the answer is 'Đúng': one of them is wrong",
    ]


def test_true_false_balance_of_a_bank_outside_35_to_65_percent(tmp_path: Path) -> None:
    questions = [tf(f"q{n}", n <= 5) for n in range(1, 8)]  # 5 true of 7: 71%
    path = bank_file(tmp_path, *questions)
    assert warnings_of(path) == [
        f"{path}:1: warning: bank 'demo': 5 of its 7 true/false statements are true (71%); "
        "keep it within 35%-65%, or always answering 'Đúng' scores 71%"
    ]
    balanced = bank_file(tmp_path, *[tf(f"q{n}", n <= 4) for n in range(1, 8)], name="ok")
    assert warnings_of(balanced) == []  # 4 of 7: 57%
    few = bank_file(tmp_path, *[tf(f"q{n}", True) for n in range(1, 4)], name="few")
    assert warnings_of(few) == []  # 3 statements say nothing of a balance


def multiple(qid: str, right: str, letters: str = "ABCD") -> str:
    choices = ", ".join(f"{letter}: Phương án {letter} của {qid}" for letter in letters)
    answer = ", ".join(right)
    return (
        f"id: {qid}\ntype: multiple\ntext: Câu {qid} chọn những phương án nào?\n"
        f"choices: {{{choices}}}\nanswer: [{answer}]\nsource: {SOURCE}"
    )


def test_multiple_questions_that_all_have_the_same_number_of_right_options(tmp_path: Path) -> None:
    path = bank_file(
        tmp_path,
        multiple("m1", "ABC"),
        multiple("m2", "ABD"),
        multiple("m3", "BCD", "ABCDE"),
        multiple("m4", "AB"),
    )
    assert warnings_of(path) == [
        f"{path}:1: warning: bank 'demo': 3 of its 4 multiple questions have 3 right options "
        "(75%; at most 70% should), so the shape is a cue; vary it (2, 3 or 4 right of 4-6): "
        "2 of 4: 1, 3 of 4: 2, 3 of 5: 1"
    ]
    varied = bank_file(
        tmp_path, multiple("m1", "ABC"), multiple("m2", "AB"), multiple("m3", "ABCD"), name="ok"
    )
    assert warnings_of(varied) == []


# --- Text answers ------------------------------------------------------------------------


def test_a_text_answer_of_more_than_three_words_without_variants(tmp_path: Path) -> None:
    def text(qid: str, answer: str) -> str:
        return f"id: {qid}\ntype: text\ntext: Câu {qid}?\nanswer: {answer}\nsource: {SOURCE}"

    path = bank_file(
        tmp_path,
        text("q1", "cơ quan quyền lực nhà nước"),
        text("q2", "[cơ quan quyền lực nhà nước, cơ quan quyền lực]"),
        text("q3", "Hội đồng nhân dân"),  # 4 syllables as a team types them: reported too
        text("q4", "Nghị định 61"),
    )
    first, third = warnings_of(path)
    assert first.startswith(f"{path}:7: warning: question 'q1': the only accepted answer has 6")
    assert third.startswith(f"{path}:17: warning: question 'q3': the only accepted answer has 4")
    assert "variants a jury would accept" in first


# --- On the command line -------------------------------------------------------------------


def test_strict_fails_on_content_warnings_and_notes_are_shown(tmp_path: Path) -> None:
    path = bank_file(
        tmp_path,
        tf("q1", True, source="Bộ Nội vụ"),
        tf("q2", False, extra="\nnote: |-\n  Cần đối chiếu\n  với bản gốc"),
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_check([path], out, err, strict=True) == 1
    assert f"{path}:8: warning: question 'q1': source names no document" in err.getvalue()
    assert f"{path}:14: note: question 'q2': Cần đối chiếu với bản gốc\n" in out.getvalue()
    assert "note" not in err.getvalue()
