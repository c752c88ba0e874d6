"""Format `turns`: its settings as the contest file writes them (`packages`,
`assign`, `order`, `seed`, `star`, `steal`, `answer_on`), read over `Fields`
with every problem reported at its key's line, and the contest-level rule on
the number of packages."""

from __future__ import annotations

from quiz.rules.formats.fields import Fields
from quiz.rules.formats.turns_state import AnswerOn, Assign, Order, Package, TurnsSettings

_ASSIGN: tuple[Assign, ...] = ("pick", "in_order")
_ORDER: tuple[Order, ...] = ("contest", "reverse_rank", "draw")
_ANSWER_ON: tuple[AnswerOn, ...] = ("voice", "tablet")
_NEGATIVE = -1e6  # the smallest multiplier a `wrong` may have


def read_settings(fields: Fields) -> TurnsSettings:
    d = TurnsSettings()
    packages = read_packages(fields)
    seed = fields.number("seed", 0)
    if seed is not None and not float(seed).is_integer():
        fields.wrong("seed", "a whole number")
        seed = None
    star = steal = None
    if fields.has("star"):
        star = fields.mapping("star")
        if star is None:
            fields.wrong("star", "a mapping {enabled: true, correct: 2, wrong: -1}")
        else:
            star.check_keys(("enabled", "correct", "wrong"))
    if fields.has("steal"):
        steal = fields.mapping("steal")
        if steal is None:
            fields.wrong("steal", "a mapping {enabled: true, window: 5, ...}")
        else:
            steal.check_keys(
                ("enabled", "window", "correct", "wrong", "take_from_owner", "answer_time")
            )

    def num(f: Fields | None, key: str, default: float, low: float, above: bool = False) -> float:
        found = f.number(key, low, strictly_above=above) if f is not None else None
        return default if found is None else found

    def flag(f: Fields | None, key: str, default: bool) -> bool:
        found = f.boolean(key) if f is not None else None
        return default if found is None else found

    return TurnsSettings(
        packages=packages,
        assign=fields.one_of("assign", _ASSIGN) or d.assign,
        order=fields.one_of("order", _ORDER) or d.order,
        seed=int(seed) if seed is not None else d.seed,
        answer_on=fields.one_of("answer_on", _ANSWER_ON) or d.answer_on,
        star=flag(star, "enabled", d.star),
        star_correct=num(star, "correct", d.star_correct, 0),
        star_wrong=num(star, "wrong", d.star_wrong, _NEGATIVE),
        steal=flag(steal, "enabled", d.steal),
        steal_window=num(steal, "window", d.steal_window, 0, above=True),
        steal_correct=num(steal, "correct", d.steal_correct, 0),
        steal_wrong=num(steal, "wrong", d.steal_wrong, _NEGATIVE),
        steal_take_from_owner=flag(steal, "take_from_owner", d.steal_take_from_owner),
        steal_answer_time=num(steal, "answer_time", d.steal_answer_time, 0, above=True),
    )


def read_packages(fields: Fields) -> tuple[Package, ...]:
    items = fields.mappings("packages", "[{id: goi-1, questions: [q1, q2, q3]}, ...]")
    if items is None:
        if not fields.has("packages"):
            fields.problem("packages", "missing key 'packages' (a list of {id, questions})")
        return ()
    packages: list[Package] = []
    seen: set[str] = set()
    for item in items:
        item.check_keys(("id", "questions", "pick"), required=("id", "questions"))
        package_id = item.scalar("id")
        if package_id is not None and package_id in seen:
            item.problem("id", f"package '{package_id}' is listed twice")
        seen.add(package_id or "")
        questions = item.question_ids("questions", "[q1, q2, q3]") or ()
        points: tuple[float, ...] = ()
        count = 0
        pick = item.mapping("pick") if item.has("pick") else None
        if item.has("pick") and pick is None:
            item.wrong("pick", "a mapping {points: [10, 20, 30], count: 3}")
        if pick is not None:
            pick.check_keys(("points", "count"), required=("points", "count"))
            points = pick.numbers("points", "[10, 20, 30]", 0) or ()
            found = pick.number("count", 1)
            if found is not None and not float(found).is_integer():
                pick.wrong("count", "a whole number")
            elif found is not None:
                count = int(found)
                if questions and count > len(questions):
                    pick.problem(
                        "count",
                        f"{pick.name('count')} is {count} but the package has only "
                        f"{len(questions)} question{'s' if len(questions) != 1 else ''}",
                    )
        if not questions and item.has("questions"):
            item.problem("questions", "a package needs at least one question")
        packages.append(Package(package_id or "", tuple(questions), points, count))
    if not packages:
        fields.problem("packages", "a turns round needs at least one package")
    return tuple(packages)


def check_teams(settings: object, teams: int) -> str | None:
    """A contest-level rule: at least as many packages as teams."""
    assert isinstance(settings, TurnsSettings)
    if settings.packages and len(settings.packages) < teams:
        return (
            f"a turns round needs at least as many packages as teams "
            f"({len(settings.packages)} packages for {teams} teams)"
        )
    return None
