"""How a round format reads its own keys from a contest file, without YAML.

The contest loader (quiz/files/bank/rounds.py) owns the YAML nodes and the report of
problems; it hands a format a `Fields`: one mapping of the file, read by key.
Every accessor returns None when the key is absent or its value is wrong,
having reported why at the key's FILE:LINE, so a format applies its defaults.
`problem(key, message)` reports a format's own rule at that key's line.
Messages use `name(key)`, the key as the author wrote it (`scoring.correct`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, TypeVar

from quiz.rules.model import ScoreValue

S = TypeVar("S", bound=str)


class Fields(Protocol):
    def name(self, key: str) -> str:
        """The key as written in messages, with the path of its mapping."""
        ...

    def has(self, key: str) -> bool:
        """Whether the key is written."""
        ...

    def problem(self, key: str, message: str) -> None:
        """Report `message` at the key's FILE:LINE (the mapping's line if absent)."""
        ...

    def wrong(self, key: str, expected: str) -> None:
        """Report "<key> must be <expected>, not <what is written>"."""
        ...

    def check_keys(
        self,
        allowed: Iterable[str],
        required: Iterable[str] = (),
        misplaced: Mapping[str, str] | None = None,
    ) -> None:
        """Report unknown keys (with a likely one) and missing required keys."""
        ...

    def scalar(self, key: str) -> str | None:
        """A single value's text as written, without judging it."""
        ...

    def boolean(self, key: str) -> bool | None: ...

    def number(self, key: str, minimum: float, *, strictly_above: bool = False) -> float | None: ...

    def one_of(self, key: str, options: Sequence[S]) -> S | None: ...

    def score(self, key: str, *, may_be_negative: bool) -> ScoreValue | None:
        """`question` (the question's own points) or a number."""
        ...

    def numbers(self, key: str, example: str, minimum: float) -> tuple[float, ...] | None:
        """A non-empty list of numbers >= minimum (each bad one reported)."""
        ...

    def is_mapping(self, key: str) -> bool:
        """Whether the value is a mapping (nothing reported)."""
        ...

    def mappings(self, key: str, example: str) -> Sequence[Fields] | None:
        """A list of mappings, each read the same way (a non-mapping item reported)."""
        ...

    def texts(self, key: str, example: str) -> tuple[str, ...] | None:
        """A list of single values' texts (a nested item reported)."""
        ...

    def text(self, key: str) -> str | None:
        """A non-empty text."""
        ...

    def mapping(self, key: str) -> Fields | None:
        """A nested mapping, read the same way."""
        ...

    def question_ids(self, key: str, example: str) -> tuple[str, ...] | None:
        """A list of question ids the round asks: the loader checks each is in
        the banks and asked once in the contest, and adds them to the round."""
        ...

    def section(self, key: str, own: Sequence[str]) -> Fields | None:
        """A nested mapping whose keys must be `own`; a key that another
        format accepts in the same section is reported as belonging there."""
        ...
