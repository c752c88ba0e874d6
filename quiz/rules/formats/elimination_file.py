"""Format `elimination` (Rung chuông vàng): its settings as the contest file
writes them (`all_out`, `play_to_end`, `team_points`, `rescue: {max,
when_below, modes, questions}`), read over `Fields` with every problem
reported at its key's line."""

from __future__ import annotations

from quiz.rules.formats.elimination_floor import ALL_OUT, RESCUE_MODES, EliminationSettings
from quiz.rules.formats.fields import Fields

WITHOUT_QUESTIONS = tuple(m for m in RESCUE_MODES if m != "question")


def read_settings(fields: Fields) -> EliminationSettings:
    d = EliminationSettings()
    all_out = fields.one_of("all_out", ALL_OUT)
    play_to_end = fields.boolean("play_to_end")
    team_points = fields.boolean("team_points")
    found = EliminationSettings(
        all_out=all_out or d.all_out,
        play_to_end=d.play_to_end if play_to_end is None else play_to_end,
        team_points=d.team_points if team_points is None else team_points,
        rescue_modes=WITHOUT_QUESTIONS,  # no rescue.questions: no rescue question
    )
    if not fields.has("rescue"):
        return found
    if not fields.is_mapping("rescue"):
        fields.wrong("rescue", "a mapping {max: 1, when_below: 10, modes: [...]}")
        return found
    rescue = fields.mapping("rescue")
    assert rescue is not None
    rescue.check_keys(("max", "when_below", "modes", "questions"))
    top = rescue.number("max", 0)
    below = rescue.number("when_below", 1)
    questions = _ids(rescue)
    # Unwritten modes are the spec's default [all, question, pick], less `question`
    # when there are no rescue questions to ask (docs/contest-format.md).
    modes = _modes(rescue) or (RESCUE_MODES if questions else WITHOUT_QUESTIONS)
    for key, value in (("max", top), ("when_below", below)):
        if value is not None and not float(value).is_integer():
            rescue.wrong(key, "a whole number")
    if "question" in modes and not questions and (top is None or top > 0):
        rescue.problem("questions", "rescue mode 'question' needs rescue.questions (question ids)")
    return EliminationSettings(
        all_out=found.all_out,
        rescue_max=d.rescue_max if top is None else int(top),
        rescue_when_below=d.rescue_when_below if below is None else int(below),
        rescue_modes=modes,
        rescue_questions=questions,
        play_to_end=found.play_to_end,
        team_points=found.team_points,
    )


def _modes(rescue: Fields) -> tuple[str, ...]:
    """The modes written (none when `modes` is not)."""
    if not rescue.has("modes"):
        return ()
    text = rescue.scalar("modes")
    items = [text] if text is not None else list(rescue.texts("modes", "[all, question]") or ())
    modes: list[str] = []
    for item in items:
        if item not in RESCUE_MODES:
            rescue.problem("modes", f"rescue mode '{item}' is not one of all, question, pick")
        elif item not in modes:
            modes.append(item)
    return tuple(modes) or WITHOUT_QUESTIONS  # none valid (reported): no second error


def _ids(rescue: Fields) -> tuple[str, ...]:
    if not rescue.has("questions"):
        return ()
    text = rescue.scalar("questions")
    return (text,) if text is not None else (rescue.texts("questions", "[cuu-tro-1]") or ())
