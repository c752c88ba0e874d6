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

from quiz.files.bank import LoadError, load_bank
from quiz.files.locale import install
from quiz.rules.answers import format_number
from quiz.rules.model import QUESTION_TYPES, Bank, Question
from quiz.rules.text import N_, tr

if TYPE_CHECKING:
    from docx.document import Document

# The document's words are message ids (Vietnamese), shown with tr() in the
# bank's language (run_review installs it).
TYPE_NAMES = {
    "single": N_("Một đáp án"),
    "multiple": N_("Nhiều đáp án"),
    "true_false": N_("Đúng / Sai"),
    "text": N_("Tự luận ngắn"),
    "number": N_("Điền số"),
    "order": N_("Sắp xếp thứ tự"),
}
LEVEL_NAMES = {"easy": N_("Dễ"), "medium": N_("Trung bình"), "hard": N_("Khó")}
NO_LEVEL = N_("Chưa ghi mức độ")
NO_TOPIC = N_("Chưa phân chủ đề")
CONCLUSION = N_("Kết luận của người thẩm định:")
RIGHT_MARK = N_("✓ đáp án đúng")
CHECK_TAG = "can-kiem-tra"  # questions marked to check before a contest draws them


MARKER_TAGS = frozenset({CHECK_TAG, "bao-chi"})  # say how to treat a question, not its topic
BANK_WIDE = 0.8  # a tag on this share of a bank's questions names the bank, not a topic


def topic_of(question: Question, skip: frozenset[str] = frozenset()) -> str:
    """A question's topic: its first tag that is neither bank-wide nor a marker."""
    return next((tag for tag in question.tags if tag not in skip), tr(NO_TOPIC))


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
        tr("Theo loại câu hỏi"): [
            (tr(TYPE_NAMES[t]), types[t]) for t in QUESTION_TYPES if types[t]
        ],
        tr("Theo chủ đề"): [(topic, len(qs)) for topic, qs in by_topic(bank.questions).items()],
        tr("Theo mức độ"): [
            (_level(level), levels[level])
            for level in ("easy", "medium", "hard", None)
            if levels[level]
        ],
    }


def _level(level: str | None) -> str:
    return tr(LEVEL_NAMES.get(level, NO_LEVEL) if level else NO_LEVEL)


def answer_lines(question: Question) -> list[str]:
    """The right answer in words, for the types whose choices do not show it."""
    answer = question.answer
    if question.type == "true_false":
        return [tr("Đáp án: Đúng") if answer is True else tr("Đáp án: Sai")]
    if question.type == "text" and isinstance(answer, tuple):
        lines = [tr("Đáp án được chấp nhận: {answers}", answers=" | ".join(answer))]
        if question.ignore_diacritics:
            lines.append(tr("(chấp nhận cả câu trả lời gõ không dấu)"))
        return lines
    if question.type == "number" and isinstance(answer, float):
        value = format_number(answer) + (f" {question.unit}" if question.unit else "")
        line = tr("Đáp án: {answer}", answer=value)
        if question.tolerance:
            line += " " + tr(
                "(sai số cho phép ±{tolerance})", tolerance=format_number(question.tolerance)
            )
        return [line]
    if question.type == "order" and isinstance(answer, tuple):
        items = dict(question.items)
        order = " → ".join(f"{letter}. {items[letter]}" for letter in answer)
        return [tr("Thứ tự đúng: {order}", order=order)]
    return []


def build_document(bank: Bank) -> Document:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_heading(tr("Phiếu thẩm định ngân hàng câu hỏi"), level=0)
    document.add_paragraph(tr("Ngân hàng: {title} (mã {id})", title=bank.title, id=bank.id))
    if bank.as_of:
        year, month, day = bank.as_of.split("-")
        date = f"{int(day)}/{int(month)}/{year}"
        document.add_paragraph(tr("Nội dung đúng đến ngày {date}", date=date))
    document.add_paragraph(tr("Tệp: {name}", name=Path(bank.file).name))
    noted = sum(1 for q in bank.questions if q.note)
    marked = sum(1 for q in bank.questions if CHECK_TAG in q.tags)
    document.add_paragraph(tr("Tổng số câu hỏi: {count}", count=len(bank.questions)))
    document.add_paragraph(tr("Số câu có ghi chú cho người thẩm định: {count}", count=noted))
    document.add_paragraph(
        tr("Số câu đánh dấu cần kiểm tra ({tag}): {count}", tag=CHECK_TAG, count=marked)
    )
    for title, rows in counts(bank).items():
        document.add_heading(title, level=2)
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        header = table.rows[0].cells
        header[0].text, header[1].text = tr("Mục"), tr("Số câu")
        for label, count in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, str(count)
    document.add_paragraph(
        tr(
            "Đề nghị người thẩm định đối chiếu từng câu hỏi với văn bản gốc (đáp án, giải thích, "
            "nguồn) và ghi kết luận (đạt, cần sửa, loại bỏ) vào dòng “{conclusion}” của câu đó.",
            conclusion=tr(CONCLUSION),
        )
    )
    number = 0
    for topic, questions in by_topic(bank.questions).items():
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        heading = tr("Chủ đề: {topic} ({count} câu)", topic=topic, count=len(questions))
        document.add_heading(heading, level=1)
        for question in questions:
            number += 1
            _question(document, number, question)
    return document


def _question(document: Document, number: int, question: Question) -> None:
    document.add_heading(tr("Câu {n} ({id})", n=number, id=question.id), level=2)
    meta = [
        tr(TYPE_NAMES[question.type]),
        _level(question.level),
        tr("{points} điểm", points=question.points),
        tr("{seconds} giây", seconds=question.time_limit),
        tr("chủ đề: {tags}", tags=", ".join(question.tags) or tr(NO_TOPIC)),
    ]
    document.add_paragraph(" · ".join(meta)).runs[0].italic = True
    document.add_paragraph(question.text)
    right = question.answer if isinstance(question.answer, frozenset) else {question.answer}
    for letter, text in question.choices:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(f"{letter}. {text}")
        if letter in right:
            run.bold = True
            paragraph.add_run(f"  {tr(RIGHT_MARK)}").bold = True
    for letter, text in question.items:
        document.add_paragraph(f"{letter}. {text}")
    for line in answer_lines(question):
        document.add_paragraph().add_run(line).bold = True
    for label, value in (
        (tr("Giải thích"), question.explanation),
        (tr("Nguồn"), question.source),
        (tr("Ghi chú"), question.note),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value or tr("(chưa có)"))
    paragraph = document.add_paragraph()
    paragraph.add_run(tr(CONCLUSION)).bold = True
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
        install(bank.language)  # the document speaks the bank's language
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
