"""Reading a contest's rounds: the keys every round has, the format's own settings
(through the format registry of `quiz.rules.formats`), the named questions and the
draw's filter. Checking the questions across rounds and making the draws is
`draws.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from quiz.files.bank.draws import (
    _Catalogue,
    _check_closest,
    _check_extra_questions,
    _check_named_questions,
    _Draw,
    _make_draws,
    _RoundPlan,
)
from quiz.files.bank.fields import (
    _S,
    _SLUG_RULE,
    SLUG,
    _as_number,
    _as_text,
    _did_you_mean,
    _Fields,
    _is_repeat,
    _prefix,
    _Report,
    _wrong,
)
from quiz.files.bank.questions import _LEVELS, _TYPES, TAG_MAX_LENGTH
from quiz.files.yamlsource import Map, Node, Scalar, Seq
from quiz.rules.formats import FORMATS, PLANNED
from quiz.rules.model import (
    Judge,
    QuestionType,
    Round,
    ScoreValue,
)

_ROUND_KEYS = ("id", "title", "format")


def _supported() -> tuple[str, ...]:
    """The playable formats, from the one registry (quiz/rules/formats)."""
    return tuple(FORMATS)


def _planned() -> tuple[str, ...]:
    return tuple(name for name in PLANNED if name not in FORMATS)


def _format_keys() -> dict[str, tuple[str, ...]]:
    """The keys each format adds to a round, playable formats first."""
    keys = {name: fmt.round_keys for name, fmt in FORMATS.items()}
    keys.update({name: own for name, own in PLANNED.items() if own and name not in keys})
    return keys


def _read_rounds(
    top: _Fields, catalogue: _Catalogue, judges: tuple[Judge, ...] = ()
) -> tuple[Round, ...]:
    found = top.sequence("rounds", "[- id: ..., title: ..., format: all]")
    if found is None:
        return ()
    plans: list[_RoundPlan] = []
    id_lines: dict[str, int] = {}
    for index, node in enumerate(found[1].items, start=1):
        plan = _read_round(top.report, node, index, id_lines, judges)
        if plan is not None:
            plans.append(plan)
    named = _check_named_questions(top.report, plans, catalogue)
    named |= _check_extra_questions(top.report, plans, catalogue, named)
    if catalogue.complete:
        _make_draws(top.report, plans, catalogue, named)
    _check_closest(top.report, plans, catalogue)
    return tuple(
        Round(plan.id, plan.title, plan.format, tuple(plan.question_ids), plan.settings, plan.line)
        for plan in plans
    )


def _read_round(
    report: _Report,
    node: Node,
    index: int,
    id_lines: dict[str, int],
    judges: tuple[Judge, ...] = (),
) -> _RoundPlan | None:
    """Read one round; None when it is not a mapping or its format is not playable."""
    if not isinstance(node, Map):
        report.add(node.line, _wrong(f"round #{index}", "a mapping (id: ..., format: ...)", node))
        return None
    r = _Fields(report, node, _prefix("round", node, index))
    round_format = _read_format(r)
    _check_round_keys(r, round_format)
    round_id = r.identifier("id", SLUG, _SLUG_RULE)
    if round_id is not None:
        _is_repeat(r, round_id, id_lines)
    title = r.text("title")
    if round_format not in FORMATS:
        return None
    fmt = FORMATS[round_format]
    named: list[tuple[str, int]] = []  # ids a format names in its own keys (turns: packages)
    fields = _FormatFields(r, round_format, named)
    settings = fmt.read_settings(fields)
    for key, message in fmt.contest_problems(settings, judges):
        fields.problem(key, message)
    plan = _RoundPlan(round_id or "", r.prefix, title or "", round_format, settings, node.line)
    plan.named.extend(named)
    plan.extra_lines = _item_lines(node, "rescue", "questions")
    if "questions" in fmt.round_keys or "draw" in fmt.round_keys:
        _read_question_source(r, plan)
    return plan


def _item_lines(node: Map, *keys: str) -> list[int]:
    """The line of each item of the list (or the one value) at `keys`."""
    found: Node = node
    for key in keys:
        entry = found.get(key) if isinstance(found, Map) else None
        if entry is None:
            return []
        found = entry.value
    return [item.line for item in (found.items if isinstance(found, Seq) else (found,))]


def _read_format(r: _Fields) -> str | None:
    entry = r.entry("format")
    if entry is None:
        return None
    text = _as_text(entry.value)
    supported = _supported()
    if text in supported:
        return text
    if text in _planned():
        message = f"format '{text}' is not supported yet (supported: {', '.join(supported)})"
    else:
        valid = ", ".join(supported + _planned())
        hint = _did_you_mean(text, supported) if text else ""
        message = _wrong("format", f"one of {valid}", entry.value) + hint
    r.problem(entry.key_line, message)
    return None


def _check_round_keys(r: _Fields, round_format: str | None) -> None:
    format_keys = _format_keys()
    every_key = {key for keys in format_keys.values() for key in keys}
    if round_format is None:  # unknown or unsupported format: only unknown keys are sure
        r.check_keys(_ROUND_KEYS + tuple(every_key), required=_ROUND_KEYS)
        return
    own = format_keys[round_format]
    misplaced = {
        key: f"'{key}' is a setting of "
        + " and ".join(f for f, keys in format_keys.items() if key in keys)
        + f" rounds, not of {round_format} rounds"
        for key in every_key
        if key not in own
    }
    r.check_keys(_ROUND_KEYS + own, _ROUND_KEYS, misplaced)


def _read_question_source(r: _Fields, plan: _RoundPlan) -> None:
    """Exactly one of `questions:` (ids in order) and `draw:`; both are checked."""
    has_list, has_draw = r.entry("questions") is not None, r.entry("draw") is not None
    if has_list and has_draw:
        r.problem(r.node.line, "has both 'questions' and 'draw'; give only one of them")
    elif not has_list and not has_draw:
        r.problem(r.node.line, "missing key 'questions' (a list of question ids) or 'draw'")
    found = r.sequence("questions", "[nq76-van-ban, cong-dvc-khai-truong]")
    for item in found[1].items if found else ():
        question_id = _as_text(item)
        if question_id is None:
            r.problem(item.line, _wrong("each of questions", "a question id", item))
        else:
            plan.named.append((question_id, item.line))
    draw = _read_draw(r)
    plan.draw = None if has_list else draw


def _read_draw(r: _Fields) -> _Draw | None:
    entry = r.entry("draw")
    draw = r.mapping("draw")
    if draw is None or entry is None:
        return None
    problems_before = len(r.report.problems)
    draw.check_keys(("count", "tags", "level", "types", "seed"), required=("count",))
    count = draw.integer("count", 1)
    tags = draw.text_list("tags", "[mot-cua]", TAG_MAX_LENGTH)
    level = draw.one_of("level", _LEVELS)
    types = _draw_types(draw)
    seed = draw.integer("seed")
    if count is None or len(r.report.problems) > problems_before:
        return None
    return _Draw(count, tags, level, 0 if seed is None else seed, entry.key_line, types)


def _draw_types(draw: _Fields) -> tuple[QuestionType, ...]:
    """`types:` of a draw: a list of known question types, each at most once."""
    found = draw.sequence("types", "[single, true_false]")
    if found is None:
        return ()
    types: list[QuestionType] = []
    for item in found[1].items:
        name = _as_text(item)
        known = next((t for t in _TYPES if t == name), None)
        if name is None:
            draw.problem(
                item.line, _wrong("each of " + draw.name("types"), "a question type", item)
            )
        elif known is None:
            draw.problem(
                item.line,
                f"{draw.name('types')}: unknown question type '{name}'"
                f"{_did_you_mean(name, _TYPES)}; expected one of {', '.join(_TYPES)}",
            )
        elif known in types:
            draw.problem(item.line, f"{draw.name('types')}: '{name}' is listed twice")
        else:
            types.append(known)
    return tuple(types)


def _score(scoring: _Fields, key: str, *, may_be_negative: bool) -> ScoreValue | None:
    """`question` (the question's points) or a number."""
    entry = scoring.entry(key)
    if entry is None:
        return None
    if isinstance(entry.value, Scalar) and entry.value.text == "question":
        return "question"
    value = _as_number(entry.value)
    if value is not None and (may_be_negative or value >= 0):
        return value
    expected = "'question' or a number" + ("" if may_be_negative else " >= 0")
    scoring.problem(entry.key_line, _wrong(scoring.name(key), expected, entry.value))
    return None


class _FormatFields:
    """A round's mapping as a format reads it (quiz.rules.formats.fields.Fields):
    the same checks and messages as every other key of the file."""

    def __init__(
        self, fields: _Fields, round_format: str, named: list[tuple[str, int]] | None = None
    ) -> None:
        self.fields, self.format = fields, round_format
        self.named = named if named is not None else []  # question ids the format names

    def name(self, key: str) -> str:
        return self.fields.name(key)

    def has(self, key: str) -> bool:
        return self.fields.entry(key) is not None

    def _line(self, key: str) -> int:
        entry = self.fields.entry(key)
        return entry.key_line if entry is not None else self.fields.node.line

    def problem(self, key: str, message: str) -> None:
        self.fields.problem(self._line(key), message)

    def wrong(self, key: str, expected: str) -> None:
        entry = self.fields.entry(key)
        if entry is None:
            self.problem(key, f"missing key '{self.name(key)}'")
        else:
            self.problem(key, _wrong(self.name(key), expected, entry.value))

    def check_keys(
        self,
        allowed: Iterable[str],
        required: Iterable[str] = (),
        misplaced: Mapping[str, str] | None = None,
    ) -> None:
        self.fields.check_keys(allowed, required, misplaced)

    def scalar(self, key: str) -> str | None:
        entry = self.fields.entry(key)
        return entry.value.text if entry is not None and isinstance(entry.value, Scalar) else None

    def boolean(self, key: str) -> bool | None:
        return self.fields.boolean(key)

    def number(self, key: str, minimum: float, *, strictly_above: bool = False) -> float | None:
        return self.fields.number(key, minimum, strictly_above=strictly_above)

    def one_of(self, key: str, options: Sequence[_S]) -> _S | None:
        return self.fields.one_of(key, options)

    def score(self, key: str, *, may_be_negative: bool) -> ScoreValue | None:
        return _score(self.fields, key, may_be_negative=may_be_negative)

    def numbers(self, key: str, example: str, minimum: float) -> tuple[float, ...] | None:
        found = self.fields.sequence(key, example)
        if found is None:
            return None
        values: list[float] = []
        for item in found[1].items:
            value = _as_number(item)
            if value is None or value < minimum:
                expected = f"a number >= {minimum:g}"
                self.fields.problem(item.line, _wrong("each of " + self.name(key), expected, item))
            else:
                values.append(value)
        return tuple(values)

    def is_mapping(self, key: str) -> bool:
        entry = self.fields.entry(key)
        return entry is not None and isinstance(entry.value, Map)

    def mappings(self, key: str, example: str) -> Sequence[_FormatFields] | None:
        found = self.fields.sequence(key, example)
        if found is None:
            return None
        out: list[_FormatFields] = []
        for index, item in enumerate(found[1].items, start=1):
            if not isinstance(item, Map):
                self.fields.problem(item.line, _wrong(f"{self.name(key)} #{index}", example, item))
                continue
            prefix = self.fields.prefix + _prefix(self.name(key), item, index)
            inner = _Fields(self.fields.report, item, prefix)
            out.append(_FormatFields(inner, self.format, self.named))
        return out

    def texts(self, key: str, example: str) -> tuple[str, ...] | None:
        if self.fields.entry(key) is None:
            return None
        return self.fields.text_list(key, example)

    def text(self, key: str) -> str | None:
        return self.fields.text(key)

    def mapping(self, key: str) -> _FormatFields | None:
        found = self.fields.mapping(key)
        return _FormatFields(found, self.format, self.named) if found is not None else None

    def question_ids(self, key: str, example: str) -> tuple[str, ...] | None:
        found = self.fields.sequence(key, example)
        if found is None:
            return None
        ids: list[str] = []
        for item in found[1].items:
            question_id = _as_text(item)
            if question_id is None:
                self.fields.problem(
                    item.line, _wrong("each of " + self.name(key), "a question id", item)
                )
            else:
                ids.append(question_id)
                self.named.append((question_id, item.line))
        return tuple(ids)

    def section(self, key: str, own: Sequence[str]) -> _FormatFields | None:
        """A nested mapping with `own` keys; keys other formats take there are misplaced."""
        found = self.mapping(key)
        if found is None:
            return None
        used = [k for fmt in FORMATS.values() if key == "scoring" for k in fmt.scoring_keys]
        misplaced = {
            k: f"'{found.name(k)}' is not a {key} key of {self.format} rounds "
            f"(only {', '.join(own)})"
            for k in used
            if k not in own
        }
        found.check_keys(own, misplaced=misplaced)
        return found
