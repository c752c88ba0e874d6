"""Answer leaks: a question whose text gives away the answer of another one asked with it.

Every team reads every question shown in the hall, and at reveal the hall sees
its right choice. So a question B *leaks* the answer of a question A when what
B shows (its text, its order items, its right choices) holds A's answer:

- a date, a document number or a number from A's right answer (the parts of
  it that A's wrong choices and A's own text do not also hold): `15/7/2021`,
  `76/NQ-CP`, `85,48`;
- A's right choice or an accepted text of A as a whole phrase, when B is about
  the same thing (it shares a document, a date or a run of three words with
  A's text, none of them common in the questions compared);
- for a true/false A that dates a document: B dating the same document, which
  confirms A (A is true) or refutes it (A is false).

Leaks are looked for among the questions of a contest's rounds (named and
drawn: they are asked together), or among the questions of a bank given alone
(a contest may draw any of them together). Each pair is one warning, at B's
text, naming both questions, where they are asked and which comes first.

What a question shows and what of its answer must not be shown elsewhere is
read by `quiz.files.review_facts`. Pure functions; imports only the standard
library, `quiz.files.bank`, `quiz.rules.model`, `quiz.files.review_content` and
`quiz.files.review_facts`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quiz.files.bank import Problem
from quiz.files.review_content import dates, documents
from quiz.files.review_facts import (
    _WORD,
    _Answer,
    _dated_in,
    _doc_key,
    _phrase,
    _Shown,
    _trigrams,
    answer_of,
    shown,
)
from quiz.rules.model import Contest, Question

Locate = Callable[[Question, str], int]

# A three-word run of A's text found in more than this share of the questions
# compared says what they are all about (cải cách hành chính), not a topic.
COMMON_SHARE = 0.05
COMMON_MIN = 3
# B is about what A asks when it shares this many of A's uncommon three-word
# runs (or a document or date A's text names).
SHARED_RUNS = 2
# An answer phrase in more than this share of the texts compared is their
# vocabulary (Chính phủ, Bộ phận Một cửa): seeing it gives nothing away.
PHRASE_COMMON_SHARE = 0.1


@dataclass(frozen=True)
class Asked:
    """A question where it is asked: its place in playing order, and where to say it is."""

    question: Question
    order: int
    where: str  # "round 'chung' question 3", or "question 5 of bank 'luat'"


def _common(pool: Sequence[Question]) -> set[tuple[str, ...]]:
    counts: Counter[tuple[str, ...]] = Counter()
    for question in pool:
        counts.update(_trigrams(question.text))
    limit = max(COMMON_MIN, COMMON_SHARE * len(pool))
    return {gram for gram, count in counts.items() if count > limit}


def _common_phrases(
    pool: Sequence[Asked], views: dict[int, _Shown], answers: dict[int, _Answer | None]
) -> set[str]:
    """Answer phrases the pool's texts use so often that they are its vocabulary."""
    texts = [
        " " + " ".join(_WORD.findall(text)) + " "
        for item in pool
        for label, text in views[id(item)].folded
        if label == "its text"
    ]
    limit = max(COMMON_MIN, PHRASE_COMMON_SHARE * len(pool))
    found: set[str] = set()
    for item in pool:
        answer = answers[id(item)]
        for phrase in answer.phrases if answer is not None else ():
            if phrase not in found and sum(f" {phrase} " in text for text in texts) > limit:
                found.add(phrase)
    return found


@dataclass(frozen=True)
class Leak:
    asked: Asked  # whose answer is given away
    by: Asked  # the question that gives it away
    what: tuple[str, ...]  # "its text shows 15/7/2021", ...


def leaks(pool: Sequence[Asked]) -> list[Leak]:
    """Every pair of the pool where one question gives away the other's answer.

    Questions are indexed by the dates, documents and numbers they show, so
    only those that show one of A's facts (or hold one of its phrases) are
    compared with A in full.
    """
    questions = [item.question for item in pool]
    common = _common(questions)
    views = {id(item): shown(item.question) for item in pool}
    answers = {id(item): answer_of(item.question) for item in pool}
    common_phrases = _common_phrases(pool, views, answers)
    dated = {id(item): _dated_in(item.question) for item in pool}
    by_fact: dict[object, list[int]] = {}
    plain: list[str] = []
    for index, item in enumerate(pool):
        view = views[id(item)]
        for fact in (*view.dates, *view.documents, *view.numbers, *dated[id(item)]):
            by_fact.setdefault(fact, []).append(index)
        plain.append(" " + " | ".join(" ".join(_WORD.findall(t)) for _, t in view.folded) + " ")
    found: list[Leak] = []
    for asked in pool:
        answer = answers[id(asked)]
        if answer is None:
            continue
        facts = [*answer.dates, *answer.documents, *answer.numbers]
        facts += [doc for doc, _, _ in answer.dated]
        candidates = {index for fact in facts for index in by_fact.get(fact, ())}
        for phrase in answer.phrases:
            candidates.update(i for i, text in enumerate(plain) if f" {phrase} " in text)
        if not candidates:
            continue
        text = asked.question.text
        topic = (
            _trigrams(text) - common,
            {_doc_key(doc.number) for doc in documents(text)},
            {date.key for date in dates(text)},
        )
        for index in sorted(candidates):
            by = pool[index]
            if by is asked or by.question.id == asked.question.id:
                continue
            what = _given_away(
                asked.question, answer, topic, views[id(by)], dated[id(by)], common_phrases
            )
            if what:
                found.append(Leak(asked, by, tuple(what)))
    return found


def _given_away(
    question: Question,
    answer: _Answer,
    topic: tuple[set[tuple[str, ...]], set[str], set[tuple[int, int, int]]],
    view: _Shown,
    dated: dict[str, tuple[int, int, int]],
    common_phrases: set[str],
) -> list[str]:
    """What `view` shows of `answer`: its dates always; its documents, numbers
    and phrases when the question shown is about the same thing (`topic`);
    and, for a true/false question, a date that confirms or refutes it."""
    what: list[str] = []
    for day, written in answer.dates.items():
        if day in view.dates:
            what.append(f"{view.dates[day]} shows {written}")
    grams, docs, days = topic
    about_it = (
        len(grams & view.trigrams) >= SHARED_RUNS
        or bool(docs & set(view.documents))
        or bool(days & set(view.dates))
    )
    if about_it:
        what = _on_topic(answer, view, common_phrases, what)
    what += _confirmed(question, answer, dated)
    return list(dict.fromkeys(what))


def _on_topic(
    answer: _Answer, view: _Shown, common_phrases: set[str], what: list[str]
) -> list[str]:
    """`what`, with the documents, numbers and phrases of `answer` that `view`
    shows; a phrase holding a document, date or number already named says it
    again, and is left out."""
    what = list(what)
    for doc, written in answer.documents.items():
        if doc in view.documents:
            what.append(f"{view.documents[doc]} shows {written}")
    for number, written in answer.numbers.items():
        if number in view.numbers:
            what.append(f"{view.numbers[number]} shows {written}")
    matched: list[str] = []
    for phrase in sorted(answer.phrases, key=len, reverse=True):
        if phrase in common_phrases or any(phrase in longer for longer in matched):
            continue
        for label, text in view.folded:
            if f" {phrase} " in f" {' '.join(_WORD.findall(text))} ":
                matched.append(phrase)
                what.append(f"{label} shows '{phrase}'")
                break
    named = [f" {_phrase(item.rsplit(' shows ', 1)[1])} " for item in what if "'" not in item]
    return [
        item
        for item in what
        if "'" not in item or not any(name in f" {item.split(chr(39))[1]} " for name in named)
    ]


def _confirmed(
    question: Question, answer: _Answer, dated: dict[str, tuple[int, int, int]]
) -> list[str]:
    """A true/false statement's document dated elsewhere: the same date confirms
    a true one, another date refutes a false one."""
    what: list[str] = []
    for doc_key, stated, cited in answer.dated:
        other = dated.get(doc_key)
        if other is None:
            continue
        same = other == stated
        if same and question.answer is True:
            what.append(f"its text dates {cited} as the statement does (so it is true)")
        elif not same and question.answer is False:
            shown_date = "/".join(str(part) for part in other)
            what.append(f"its text dates {cited} {shown_date} (so the statement is false)")
    return what


# --- Where the pool comes from ----------------------------------------------------------


def contest_pool(contest: Contest) -> list[Asked]:
    """The questions of a contest's rounds, in playing order."""
    pool: list[Asked] = []
    for played in contest.rounds:
        for number, qid in enumerate(played.question_ids, start=1):
            question = contest.questions.get(qid)
            if question is not None:
                pool.append(Asked(question, len(pool), f"round '{played.id}' question {number}"))
    return pool


def bank_pool(questions: Sequence[Question], bank_id: str) -> list[Asked]:
    return [
        Asked(question, index, f"question {index + 1} of bank '{bank_id}'")
        for index, question in enumerate(questions)
    ]


def leak_warnings(pool: Sequence[Asked], line_of: Locate, context: str) -> list[Problem]:
    """One warning per leaking pair, at the text of the question that gives it away."""
    found: list[Problem] = []
    for leak in leaks(pool):
        asked, by = leak.asked.question, leak.by.question
        first = leak.by if leak.by.order < leak.asked.order else leak.asked
        when = (
            "it is asked first, so the answer is in sight before the question"
            if first is leak.by
            else f"'{asked.id}' is asked first (it matters once a draw or the MC changes the order)"
        )
        found.append(
            Problem(
                by.file,
                line_of(by, "text"),
                f"warning: question '{by.id}' ({leak.by.where}) gives away the answer of "
                f"question '{asked.id}' ({leak.asked.where}, {asked.file}:{asked.line}){context}: "
                f"{'; '.join(leak.what)}; {when}",
            )
        )
    return found
