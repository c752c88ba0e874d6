"""Answer leaks (quiz.files.review_leaks) and contest round checks (quiz.files.review_contest)."""

from __future__ import annotations

import io
from pathlib import Path

from quiz.files.bank import load_banks, load_contest
from quiz.files.check import run_check
from quiz.files.review import SourceLines, bank_leak_notes, review

HEAD = "bank: demo\ntitle: Demo\nquestions:\n"
SOURCE = "Nghị quyết 76/NQ-CP ngày 15/7/2021"


def bank_file(folder: Path, *questions: str, name: str = "demo") -> str:
    """Questions in flow style, one a line: the first at line 4."""
    text = HEAD.replace("demo", name, 1) + "".join(f"  - {q}\n" for q in questions)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def single(qid: str, text: str, right: str, *wrong: str, extra: str = "") -> str:
    choices = ", ".join(
        f'{letter}: "{choice}"' for letter, choice in zip("ABCD", (right, *wrong), strict=False)
    )
    return (
        f'{{id: {qid}, type: single, text: "{text}", choices: {{{choices}}}, answer: A, '
        f'source: "{SOURCE}"{extra}}}'
    )


def tf(qid: str, text: str, answer: bool, extra: str = "") -> str:
    return (
        f'{{id: {qid}, type: true_false, text: "{text}", answer: {str(answer).lower()}, '
        f'source: "{SOURCE}"{extra}}}'
    )


def leaks_of(*paths: str) -> list[str]:
    """Leaks within banks checked alone: notes, never warnings."""
    banks = load_banks(paths)
    assert not [w for w in review(banks, SourceLines()) if "gives away" in str(w)]
    return [str(n) for n in bank_leak_notes(banks, SourceLines())]


NQ76_DATE = single(
    "nq76-ngay",
    "Nghị quyết 76/NQ-CP ban hành Chương trình tổng thể được ban hành ngày nào?",
    "Ngày 15/7/2021",
    "Ngày 15/6/2021",
    "Ngày 08/11/2021",
)
NQ76_SIGNER = single(
    "nq76-nguoi-ky",
    "Ai đã ký Nghị quyết 76/NQ-CP ngày 15/7/2021 về Chương trình tổng thể?",
    "Phó Thủ tướng Thường trực Trương Hòa Bình",
    "Thủ tướng Chính phủ",
    "Bộ trưởng Bộ Nội vụ",
)


def test_a_date_in_a_text_gives_away_the_answer_of_a_date_question(tmp_path: Path) -> None:
    path = bank_file(tmp_path, NQ76_DATE, NQ76_SIGNER)
    assert leaks_of(path) == [
        f"{path}:5: note: question 'nq76-nguoi-ky' (question 2 of bank 'demo') gives away "
        f"the answer of question 'nq76-ngay' (question 1 of bank 'demo', {path}:4): its text "
        "shows 15/7/2021; 'nq76-ngay' is asked first (it matters once a draw or the MC "
        "changes the order) (if both are asked)"
    ]
    reversed_order = bank_file(tmp_path, NQ76_SIGNER, NQ76_DATE, name="other")
    (warning,) = leaks_of(reversed_order)
    assert warning.endswith(
        "it is asked first, so the answer is in sight before the question (if both are asked)"
    )


def test_a_wrong_choice_or_the_questions_own_text_is_no_leak(tmp_path: Path) -> None:
    dated = single(
        "hen-ngay",
        "Thông tư 01/2023/TT-VPCP được ban hành ngày nào?",
        "Ngày 05/4/2023",
        "Ngày 15/7/2021",  # the other's answer, as a wrong choice: gives nothing away
        "Ngày 01/01/2023",
    )
    own = single(
        "nq76-ngay-2",
        "Nghị quyết 76/NQ-CP ngày 15/7/2021 do cơ quan nào ban hành?",
        "Chính phủ",
        "Quốc hội",
        "Bộ Nội vụ",
    )
    path = bank_file(tmp_path, NQ76_DATE, dated)
    assert leaks_of(path) == []
    # The other's text names 15/7/2021 too, but so does the date question's answer
    # only; the body that issued it is not shown anywhere else.
    assert [w for w in leaks_of(bank_file(tmp_path, own, dated, name="b")) if "nq76" in w] == []


def test_a_document_number_gives_away_only_a_question_on_the_same_subject(tmp_path: Path) -> None:
    which = single(
        "nd61-ten",
        "Nghị định nào quy định việc thực hiện cơ chế một cửa, một cửa liên thông?",
        "Nghị định 61/2018/NĐ-CP",
        "Nghị định 63/2010/NĐ-CP",
        "Nghị định 92/2017/NĐ-CP",
    )
    same_subject = tf(
        "nd61-ngay",
        "Nghị định 61/2018/NĐ-CP về thực hiện cơ chế một cửa, một cửa liên thông có 5 chương.",
        True,
    )
    other_subject = tf(
        "nd61-xin-loi",
        "Theo Nghị định 61/2018/NĐ-CP, cán bộ làm sai phải có văn bản xin lỗi.",
        True,
    )
    path = bank_file(tmp_path, which, same_subject, other_subject)
    (warning,) = leaks_of(path)
    assert warning.startswith(f"{path}:5: note: question 'nd61-ngay'")
    assert "answer of question 'nd61-ten'" in warning
    assert "its text shows 61/2018/NĐ-CP" in warning


def test_a_number_answer_shown_in_another_question(tmp_path: Path) -> None:
    count = (
        '{id: so-doi, type: number, text: "Hội thi cải cách hành chính huyện Kim Bôi có bao '
        f'nhiêu đội dự thi?", answer: 17, source: "{SOURCE}"}}'
    )
    shows = tf("doi-thi", "Hội thi cải cách hành chính huyện Kim Bôi có 17 đội dự thi.", True)
    unrelated = tf("so-tthc", "Năm 2023 tỉnh công bố 17 thủ tục hành chính mới.", True)
    path = bank_file(tmp_path, count, shows, unrelated)
    (warning,) = leaks_of(path)
    assert "question 'doi-thi'" in warning and "answer of question 'so-doi'" in warning
    assert "its text shows 17" in warning


def test_an_accepted_text_or_a_right_choice_as_a_phrase(tmp_path: Path) -> None:
    name = (
        '{id: ten-hoi-thi, type: text, text: "Tên của Hội thi cải cách hành chính huyện Kim '
        'Bôi năm 2023 là gì?", answer: [vì Nhân dân phục vụ, Vì nhân dân phục vụ], '
        f'ignore_diacritics: true, source: "{SOURCE}"}}'
    )
    shows = tf(
        "hoi-thi-so-doi",
        "Hội thi cải cách hành chính vì Nhân dân phục vụ của huyện Kim Bôi có 17 đội.",
        True,
    )
    path = bank_file(tmp_path, name, shows)
    (warning,) = leaks_of(path)
    assert "question 'hoi-thi-so-doi'" in warning
    assert "its text shows 'vi nhan dan phuc vu'" in warning


def test_a_phrase_every_question_uses_is_vocabulary_not_a_leak(tmp_path: Path) -> None:
    where = single(
        "noi-tiep-nhan",
        "Hồ sơ thủ tục hành chính cấp xã được tiếp nhận ở đâu?",
        "Bộ phận Một cửa",
        "Văn phòng HĐND",
        "Phòng Nội vụ",
    )
    others = [
        tf(f"mot-cua-{n}", f"Bộ phận Một cửa cấp xã hồ sơ thủ tục hành chính mục {n}.", True)
        for n in range(1, 6)
    ]
    assert leaks_of(bank_file(tmp_path, where, *others)) == []
    # With fewer uses it is no longer everyone's word, and it does give the answer away.
    assert len(leaks_of(bank_file(tmp_path, where, *others[:2], name="few"))) == 2


def test_a_true_false_statement_refuted_by_another_questions_date(tmp_path: Path) -> None:
    wrong = tf("qd93-ngay", "Quyết định 93/2007/QĐ-TTg được ban hành ngày 22/6/2006.", False)
    shows = single(
        "qd93-noi-dung",
        "Quyết định 93/2007/QĐ-TTg ngày 22/6/2007 ban hành quy chế nào?",
        "Quy chế thực hiện cơ chế một cửa",
        "Quy chế văn thư",
        "Quy chế tiếp công dân",
    )
    (warning,) = leaks_of(bank_file(tmp_path, wrong, shows))
    assert "question 'qd93-noi-dung'" in warning and "answer of question 'qd93-ngay'" in warning
    assert "its text dates 93/2007/QĐ-TTg 22/6/2007 (so the statement is false)" in warning


# --- In a contest ---------------------------------------------------------------------

CONTEST = """\
contest: demo
title: Demo
banks: [demo.yaml]
teams: [{{id: a, name: A}}, {{id: b, name: B}}]
rounds:
  - {{id: chung, title: Chung, format: all, questions: [{named}]}}
  - id: bam-chuong
    title: Bấm chuông
    format: buzzer
    answer_on: {answer_on}
    draw: {draw}
"""


def contest_file(folder: Path, named: str, draw: str, answer_on: str = "voice") -> str:
    path = folder / "contest.yaml"
    path.write_text(CONTEST.format(named=named, draw=draw, answer_on=answer_on), encoding="utf-8")
    return str(path)


def check(*paths: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_check(list(paths), out, err, strict=True)
    return code, err.getvalue()


def filler(n: int, answer: bool) -> str:
    return tf(f"f{n}", f"Mệnh đề thứ {n} về cải cách hành chính số {n + 100}.", answer)


def test_in_a_contest_leaks_are_looked_for_among_its_rounds_only(tmp_path: Path) -> None:
    fillers = [filler(n, n % 2 == 0) for n in range(1, 5)]
    bank_file(tmp_path, NQ76_DATE, NQ76_SIGNER, *fillers)
    apart = contest_file(tmp_path, "nq76-ngay, f1", "{count: 2, tags: [x]}")
    # nq76-nguoi-ky is in no round: the pair does not meet in this contest ...
    (tmp_path / "demo.yaml").write_text(
        (tmp_path / "demo.yaml")
        .read_text(encoding="utf-8")
        .replace("{id: f3,", "{tags: [x], id: f3,")
        .replace("{id: f4,", "{tags: [x], id: f4,"),
        encoding="utf-8",
    )
    code, err = check(apart)
    assert "gives away" not in err, err
    # ... but the bank alone, which a contest could draw together, notes it
    # (on standard output, without failing --strict).
    bank_alone = str(tmp_path / "demo.yaml")
    assert "gives away" not in check(bank_alone)[1]
    out = io.StringIO()
    run_check([bank_alone], out, io.StringIO(), strict=True)
    assert "note: question 'nq76-nguoi-ky'" in out.getvalue()
    assert "gives away" in out.getvalue()
    together = contest_file(tmp_path, "nq76-ngay, f1", "{count: 1, tags: [x], seed: 1}")
    text = (tmp_path / "demo.yaml").read_text(encoding="utf-8")
    (tmp_path / "demo.yaml").write_text(
        text.replace("{id: nq76-nguoi-ky,", "{tags: [x], id: nq76-nguoi-ky,")
        .replace("{tags: [x], id: f3,", "{id: f3,")
        .replace("{tags: [x], id: f4,", "{id: f4,"),
        encoding="utf-8",
    )
    contest = load_contest(together)
    assert contest.rounds[1].question_ids == ("nq76-nguoi-ky",)
    code, err = check(together)
    assert code == 1
    (warning,) = [line for line in err.splitlines() if "gives away" in line]
    assert (
        "question 'nq76-nguoi-ky' (round 'bam-chuong' question 1) gives away the answer of "
        "question 'nq76-ngay' (round 'chung' question 1, " in warning
    )
    assert "in contest 'demo': its text shows 15/7/2021; 'nq76-ngay' is asked first" in warning


def voice_bank(folder: Path) -> None:
    order = (
        '{id: thu-tu, type: order, text: "Sắp xếp theo thời gian", items: {A: a, B: b}, '
        f'answer: [B, A], tags: [x], source: "{SOURCE}"}}'
    )
    many = (
        '{id: nhieu, type: multiple, text: "Chọn các ý đúng", choices: {A: a, B: b, C: c}, '
        f'answer: [A, B], tags: [x], source: "{SOURCE}"}}'
    )
    fillers = [filler(n, n % 2 == 0).replace("{id:", "{tags: [x], id:") for n in range(1, 5)]
    bank_file(folder, order, many, *fillers)


def test_a_voice_buzzer_round_that_can_draw_multiple_or_order(tmp_path: Path) -> None:
    voice_bank(tmp_path)
    path = contest_file(tmp_path, "f1", "{count: 2, tags: [x], seed: 3}")
    code, err = check(path)
    assert code == 1
    assert (
        f"{path}:7: warning: round 'bam-chuong' is a buzzer round answered by voice in 5 s, "
        "but its draw can pick 2 multiple or order questions and it asks nhieu, which nobody "
        "can answer aloud in time"
    ) in err
    typed = contest_file(tmp_path, "f1", "{count: 2, tags: [x], types: [true_false, single]}")
    assert "buzzer round" not in check(typed)[1]
    tablet = contest_file(tmp_path, "f1", "{count: 2, tags: [x]}", answer_on="tablet")
    assert "buzzer round" not in check(tablet)[1]


def test_true_false_balance_of_a_round(tmp_path: Path) -> None:
    statements = [filler(n, n <= 3) for n in range(1, 6)]  # f1-f3 true, f4 and f5 false
    bank_file(tmp_path, *statements)
    path = contest_file(tmp_path, "f1, f2, f3, f4", "{count: 1}")
    code, err = check(path)
    assert (
        f"{path}:6: warning: round 'chung': 3 of its 4 true/false statements are true (75%)"
    ) in err
    balanced = contest_file(tmp_path, "f1, f2, f4, f5", "{count: 1}")
    assert "round 'chung'" not in check(balanced)[1]
