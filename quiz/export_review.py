"""`quiz export-bank BANK.yaml --review FILE.docx`: a bank as Word, for its legal reviewer.

Owns the review document: a cover with the bank's counts (by type, topic and
level, and how many questions carry a note), then every question grouped by
topic (its first tag), with its choices or items, the right answer marked,
the explanation, source and reviewer's note, and an empty line for the
reviewer's conclusion. The organiser sends it out and takes the verdicts back
by hand; nothing is read back from it.

Imports python-docx only inside `build_document`; never Flask, Socket.IO or
the engine.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from quiz.answers import format_number
from quiz.bank import LoadError, load_bank
from quiz.model import QUESTION_TYPES, Bank, Question

if TYPE_CHECKING:
    from docx.document import Document

TYPE_NAMES = {
    "single": "Một đáp án",
    "multiple": "Nhiều đáp án",
    "true_false": "Đúng / Sai",
    "text": "Tự luận ngắn",
    "number": "Điền số",
    "order": "Sắp xếp thứ tự",
}
LEVEL_NAMES = {"easy": "Dễ", "medium": "Trung bình", "hard": "Khó"}
NO_LEVEL = "Chưa ghi mức độ"
NO_TOPIC = "Chưa phân chủ đề"
CONCLUSION = "Kết luận của người thẩm định:"
RIGHT_MARK = "✓ đáp án đúng"
CHECK_TAG = "can-kiem-tra"  # questions marked to check before a contest draws them


MARKER_TAGS = frozenset({CHECK_TAG, "bao-chi"})  # say how to treat a question, not its topic
BANK_WIDE = 0.8  # a tag on this share of a bank's questions names the bank, not a topic


def topic_of(question: Question, skip: frozenset[str] = frozenset()) -> str:
    """A question's topic: its first tag that is neither bank-wide nor a marker."""
    return next((tag for tag in question.tags if tag not in skip), NO_TOPIC)


def by_topic(questions: Sequence[Question]) -> dict[str, list[Question]]:
    """Questions grouped by topic, topics in the order they first appear."""
    tags: Counter[str] = Counter(tag for q in questions for tag in set(q.tags))
    wide = {
        tag for tag, n in tags.items() if len(questions) > 1 and n >= BANK_WIDE * len(questions)
    }
    skip = frozenset(wide | MARKER_TAGS)
    groups: dict[str, list[Question]] = {}
    for question in questions:
        groups.setdefault(topic_of(question, skip), []).append(question)
    return groups


def counts(bank: Bank) -> dict[str, list[tuple[str, int]]]:
    """The cover's tables: (label, count) rows by type, topic and level."""
    types: Counter[str] = Counter(q.type for q in bank.questions)
    levels = Counter(q.level for q in bank.questions)
    return {
        "Theo loại câu hỏi": [(TYPE_NAMES[t], types[t]) for t in QUESTION_TYPES if types[t]],
        "Theo chủ đề": [(topic, len(qs)) for topic, qs in by_topic(bank.questions).items()],
        "Theo mức độ": [
            (LEVEL_NAMES.get(level, NO_LEVEL) if level else NO_LEVEL, levels[level])
            for level in ("easy", "medium", "hard", None)
            if levels[level]
        ],
    }


def answer_lines(question: Question) -> list[str]:
    """The right answer in words, for the types whose choices do not show it."""
    answer = question.answer
    if question.type == "true_false":
        return [f"Đáp án: {'Đúng' if answer is True else 'Sai'}"]
    if question.type == "text" and isinstance(answer, tuple):
        lines = ["Đáp án được chấp nhận: " + " | ".join(answer)]
        if question.ignore_diacritics:
            lines.append("(chấp nhận cả câu trả lời gõ không dấu)")
        return lines
    if question.type == "number" and isinstance(answer, float):
        unit = f" {question.unit}" if question.unit else ""
        line = f"Đáp án: {format_number(answer)}{unit}"
        if question.tolerance:
            line += f" (sai số cho phép ±{format_number(question.tolerance)})"
        return [line]
    if question.type == "order" and isinstance(answer, tuple):
        items = dict(question.items)
        return ["Thứ tự đúng: " + " → ".join(f"{letter}. {items[letter]}" for letter in answer)]
    return []


def build_document(bank: Bank) -> Document:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_heading("Phiếu thẩm định ngân hàng câu hỏi", level=0)
    document.add_paragraph(f"Ngân hàng: {bank.title} (mã {bank.id})")
    if bank.as_of:
        year, month, day = bank.as_of.split("-")
        document.add_paragraph(f"Nội dung đúng đến ngày {int(day)}/{int(month)}/{year}")
    document.add_paragraph(f"Tệp: {Path(bank.file).name}")
    noted = sum(1 for q in bank.questions if q.note)
    marked = sum(1 for q in bank.questions if CHECK_TAG in q.tags)
    document.add_paragraph(f"Tổng số câu hỏi: {len(bank.questions)}")
    document.add_paragraph(f"Số câu có ghi chú cho người thẩm định: {noted}")
    document.add_paragraph(f"Số câu đánh dấu cần kiểm tra ({CHECK_TAG}): {marked}")
    for title, rows in counts(bank).items():
        document.add_heading(title, level=2)
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        header = table.rows[0].cells
        header[0].text, header[1].text = "Mục", "Số câu"
        for label, count in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, str(count)
    document.add_paragraph(
        "Đề nghị người thẩm định đối chiếu từng câu hỏi với văn bản gốc (đáp án, giải thích, "
        f"nguồn) và ghi kết luận (đạt, cần sửa, loại bỏ) vào dòng “{CONCLUSION}” của câu đó."
    )
    number = 0
    for topic, questions in by_topic(bank.questions).items():
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(f"Chủ đề: {topic} ({len(questions)} câu)", level=1)
        for question in questions:
            number += 1
            _question(document, number, question)
    return document


def _question(document: Document, number: int, question: Question) -> None:
    document.add_heading(f"Câu {number} ({question.id})", level=2)
    level = LEVEL_NAMES.get(question.level, NO_LEVEL) if question.level else NO_LEVEL
    meta = [
        TYPE_NAMES[question.type],
        level,
        f"{question.points} điểm",
        f"{question.time_limit} giây",
        "chủ đề: " + (", ".join(question.tags) or NO_TOPIC),
    ]
    document.add_paragraph(" · ".join(meta)).runs[0].italic = True
    document.add_paragraph(question.text)
    right = question.answer if isinstance(question.answer, frozenset) else {question.answer}
    for letter, text in question.choices:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(f"{letter}. {text}")
        if letter in right:
            run.bold = True
            paragraph.add_run(f"  {RIGHT_MARK}").bold = True
    for letter, text in question.items:
        document.add_paragraph(f"{letter}. {text}")
    for line in answer_lines(question):
        document.add_paragraph().add_run(line).bold = True
    for label, value in (
        ("Giải thích", question.explanation),
        ("Nguồn", question.source),
        ("Ghi chú", question.note),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value or "(chưa có)")
    paragraph = document.add_paragraph()
    paragraph.add_run(CONCLUSION).bold = True
    paragraph.add_run(" " + "." * 80)


def write_review(bank: Bank, output: str) -> None:
    """Write the review document atomically: a failed write leaves no half file."""
    document = build_document(bank)
    folder = os.path.dirname(os.path.abspath(output))
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".docx")
    os.close(handle)
    try:
        document.save(temporary)
        os.replace(temporary, output)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def run_review(bank_path: str, output: str, out: TextIO, err: TextIO) -> int:
    """`quiz export-bank BANK --review FILE.docx`: 0 when written, 1 and why when not."""
    if Path(output).suffix.lower() != ".docx":
        print(f"{output}: the review document must be a .docx file", file=err)
        return 2
    try:
        bank = load_bank(bank_path)
        write_review(bank, output)
    except LoadError as error:
        for problem in error.problems:
            print(problem, file=err)
        print(f"nothing written to {output}", file=err)
        return 1
    except OSError as error:
        print(f"{output}: cannot write the file ({error.strerror})", file=err)
        return 1
    topics = len(by_topic(bank.questions))
    print(
        f"{output}: review document of bank '{bank.id}', {len(bank.questions)} questions "
        f"in {topics} topics",
        file=out,
    )
    return 0
