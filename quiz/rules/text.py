"""The words the rules put on screens, in the contest's language.

The rules compose Vietnamese text (the source language, and each message's
id in the catalogues under `quiz/locale/`); `tr` looks a message up in the
table the running contest installed (`install`, from `quiz.files.locale`) and
fills its `{name}` fields. `N_` only marks a message for extraction where the
lookup has to wait (module-level tables): call `tr` on it when it is shown.
Pure: the catalogue is read by the files layer, never here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_table: dict[str, str] = {}


def install(table: Mapping[str, str]) -> None:
    """Use `table` (message id -> text) from now on; an empty one means Vietnamese."""
    _table.clear()
    _table.update(table)


def tr(message: str, **fields: Any) -> str:
    """`message` in the installed language, its `{name}` fields filled."""
    text = _table.get(message) or message
    return text.format(**fields) if fields else text


def tr_noted(noted: str, plain: str) -> str:
    """A noted id's text (docs/i18n.md: "Phương án Đúng", a true/false answer,
    beside the verdict "Đúng") from the installed table, else the plain
    Vietnamese word: where no catalogue is installed (tools, tests) the rules
    still read Vietnamese."""
    return _table.get(noted) or plain


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it yet."""
    return message
