"""`quiz export-bank --review FILE.docx`: the Word document for a bank's legal reviewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest

from quiz.cli import main

BANK = """\
bank: thu
title: Ngân hàng thử
as_of: 2023-08-29
questions:
  - id: nd61-ten
    type: single
    level: easy
    tags: [cchc, mot-cua]
    text: Nghị định nào quy định cơ chế một cửa?
    choices: {A: Nghị định 63/2010/NĐ-CP, B: Nghị định 61/2018/NĐ-CP}
    answer: B
    explanation: Nghị định 61/2018/NĐ-CP ngày 23/4/2018.
    source: Nghị định 61/2018/NĐ-CP ngày 23/4/2018
    note: Đã đối chiếu với bản gốc trên vanban.chinhphu.vn
  - id: nhieu
    type: multiple
    tags: [cchc, mot-cua, can-kiem-tra]
    text: Chọn các nơi tiếp nhận hồ sơ
    choices: {A: Bộ phận Một cửa, B: Văn phòng HĐND, C: Trung tâm Phục vụ hành chính công}
    answer: [A, C]
    source: Nghị định 61/2018/NĐ-CP ngày 23/4/2018
  - {id: dung-sai, type: true_false, level: hard, tags: [cchc, dich-vu-cong],
     text: Cổng Dịch vụ công quốc gia khai trương năm 2019., answer: true,
     source: Báo Chính phủ}
  - {id: chu, type: text, tags: [cchc, dich-vu-cong], text: "Cơ chế gì?",
     answer: [một cửa, cơ chế một cửa], ignore_diacritics: true, source: Nghị định 61/2018}
  - {id: so, type: number, tags: [cchc, dich-vu-cong], text: "Bao nhiêu phần trăm?", answer: 85.48,
     tolerance: 0.5, unit: "%", source: Quyết định 876/QĐ-BNV ngày 10/11/2022}
  - {id: thu-tu, type: order, tags: [cchc], text: Sắp xếp, items: {A: "30c", B: "76"},
     answer: [A, B], source: Nghị quyết 76/NQ-CP ngày 15/7/2021}
"""


# The paragraphs' texts, the tables' cells, the document as python-docx reads it.
Review = tuple[list[str], list[list[list[str]]], Any]


@pytest.fixture
def review(tmp_path: Path) -> Review:
    bank = tmp_path / "thu.yaml"
    bank.write_text(BANK, encoding="utf-8")
    output = tmp_path / "tham-dinh.docx"
    assert main(["export-bank", str(bank), "--review", str(output)]) == 0
    document = docx.Document(str(output))
    texts = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    return texts, tables, document


def test_the_cover_counts_types_topics_and_levels(review: Review) -> None:
    texts, tables, document = review
    assert texts[0] == "Phiếu thẩm định ngân hàng câu hỏi"
    assert "Ngân hàng: Ngân hàng thử (mã thu)" in texts
    assert "Nội dung đúng đến ngày 29/8/2023" in texts
    assert "Tổng số câu hỏi: 6" in texts
    assert "Số câu có ghi chú cho người thẩm định: 1" in texts
    assert "Số câu đánh dấu cần kiểm tra (can-kiem-tra): 1" in texts
    by_type, by_topic, by_level = tables
    assert by_type[1:] == [
        ["Một đáp án", "1"],
        ["Nhiều đáp án", "1"],
        ["Đúng / Sai", "1"],
        ["Tự luận ngắn", "1"],
        ["Điền số", "1"],
        ["Sắp xếp thứ tự", "1"],
    ]
    # `cchc` is on every question: it names the bank, so the topic is the next tag.
    assert by_topic[1:] == [["mot-cua", "2"], ["dich-vu-cong", "3"], ["Chưa phân chủ đề", "1"]]
    assert by_level[1:] == [["Dễ", "1"], ["Khó", "1"], ["Chưa ghi mức độ", "4"]]


def test_questions_are_grouped_by_topic_with_the_answer_marked(review: Review) -> None:
    texts, _, document = review
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == [
        "Chủ đề: mot-cua (2 câu)",
        "Chủ đề: dich-vu-cong (3 câu)",
        "Chủ đề: Chưa phân chủ đề (1 câu)",
    ]
    questions = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert questions[3:] == [
        "Câu 1 (nd61-ten)",
        "Câu 2 (nhieu)",
        "Câu 3 (dung-sai)",
        "Câu 4 (chu)",
        "Câu 5 (so)",
        "Câu 6 (thu-tu)",
    ]
    start = texts.index("Câu 1 (nd61-ten)")
    assert texts[start + 1] == "Một đáp án · Dễ · 10 điểm · 20 giây · chủ đề: cchc, mot-cua"
    assert texts[start + 2 : start + 9] == [
        "Nghị định nào quy định cơ chế một cửa?",
        "A. Nghị định 63/2010/NĐ-CP",
        "B. Nghị định 61/2018/NĐ-CP  ✓ đáp án đúng",
        "Giải thích: Nghị định 61/2018/NĐ-CP ngày 23/4/2018.",
        "Nguồn: Nghị định 61/2018/NĐ-CP ngày 23/4/2018",
        "Ghi chú: Đã đối chiếu với bản gốc trên vanban.chinhphu.vn",
        "Kết luận của người thẩm định: " + "." * 80,
    ]
    right = document.paragraphs[start + 4]
    assert all(run.bold for run in right.runs)
    assert not any(run.bold for run in document.paragraphs[start + 3].runs)
    assert "A. Bộ phận Một cửa  ✓ đáp án đúng" in texts
    assert "B. Văn phòng HĐND" in texts
    assert "C. Trung tâm Phục vụ hành chính công  ✓ đáp án đúng" in texts
    assert "Đáp án: Đúng" in texts
    assert "Đáp án được chấp nhận: một cửa | cơ chế một cửa" in texts
    assert "Đáp án: 85,48 % (sai số cho phép ±0,5)" in texts
    assert "Thứ tự đúng: A. 30c → B. 76" in texts
    assert texts.count("Ghi chú: (chưa có)") == 5
    assert sum(t.startswith("Kết luận của người thẩm định:") for t in texts) == 6


def test_a_broken_bank_or_a_wrong_extension_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = tmp_path / "hong.yaml"
    bank.write_text("bank: hong\ntitle: Hỏng\nquestions: [{id: q1, type: single}]\n", "utf-8")
    output = tmp_path / "tham-dinh.docx"
    assert main(["export-bank", str(bank), "--review", str(output)]) == 1
    assert not output.exists()
    assert f"nothing written to {output}" in capsys.readouterr().err
    assert main(["export-bank", str(bank), "--review", str(tmp_path / "x.pdf")]) == 2
    assert main(["export-bank", str(bank)]) == 2
    assert "give -o FILE.xlsx, --review FILE.docx or both" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [bank]


def test_the_spreadsheet_and_the_review_in_one_command(tmp_path: Path) -> None:
    bank = tmp_path / "thu.yaml"
    bank.write_text(BANK, encoding="utf-8")
    sheet, word = tmp_path / "thu.xlsx", tmp_path / "thu.docx"
    assert main(["export-bank", str(bank), "-o", str(sheet), "--review", str(word)]) == 0
    assert sheet.exists() and word.exists()
