"""Loading and validating question banks and contest files.

Owns the rules of `bank-format.md` and `contest-format.md`: reading the YAML
(through `quiz.files.yamlsource`), checking every rule, collecting every problem as
`FILE:LINE: message`, and producing the frozen objects of `quiz.rules.model`
(`Bank`, `Question`, `Contest`, `Round` ...). Also makes a contest's question
draws, which are deterministic for a given seed.

The package's modules: `fields` (problems and the typed field reader),
`questions` and `answers` (a bank), `contest`, `people` (teams, players,
judges), `rounds` and `draws` (a contest, its rounds, the questions across
them and the draws). This module is their public face.

Imports only the standard library, `quiz.rules` and `quiz.files.yamlsource`; never
Flask, Socket.IO or the engine.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from quiz.files.bank.contest import (
    DEFAULT_TIEBREAK,
    TIEBREAK_CRITERIA,
    _contest_from_root,
    load_contest,
)
from quiz.files.bank.fields import SLUG, LoadError, Problem, StrPath, _read_root, _Report
from quiz.files.bank.questions import (
    BANK_ID,
    DEFAULT_POINTS,
    DEFAULT_TIME_LIMIT,
    IMAGE_EXTENSIONS,
    QUESTION_ID,
    TAG_MAX_LENGTH,
    _bank_from_root,
    _BankRead,
    _cross_bank_duplicates,
    load_bank,
    load_banks,
)
from quiz.files.yamlsource import Map
from quiz.rules.model import Bank, Contest

# --- Several files at once (quiz check) ---------------------------------------


def load_files(paths: Sequence[StrPath]) -> tuple[Bank | Contest, ...]:
    """Load banks and contests named together, as `quiz check` does.

    A contest is a file whose top level has a `contest:` key. The banks given
    are checked together (an id used in two of them is a problem); each
    contest is checked with its own banks. A file named twice is loaded once.
    Raise LoadError with every problem of every file.
    """
    by_file: dict[str, str] = {}  # the real file -> the path first given for it
    for given in paths:
        path = os.fspath(given)
        by_file.setdefault(os.path.realpath(path), path)
    unique = list(by_file.values())
    loaded: dict[str, Bank | Contest] = {}
    bank_reads: list[_BankRead] = []
    problems: list[Problem] = []
    for path in unique:
        report = _Report(path)
        root = _read_root(path, report)
        if isinstance(root, Map) and root.get("contest") is not None:
            contest, contest_problems = _contest_from_root(path, root, report)
            problems += contest_problems
            if contest is not None:
                loaded[path] = contest
        else:
            read = _bank_from_root(path, root, report)
            bank_reads.append(read)
            problems += read.problems
    problems += _cross_bank_duplicates(bank_reads)
    if problems:
        raise LoadError(problems)
    for read in bank_reads:
        if read.bank is not None:
            loaded[read.file] = read.bank
    return tuple(loaded[path] for path in unique if path in loaded)


__all__ = [
    "BANK_ID",
    "DEFAULT_POINTS",
    "DEFAULT_TIEBREAK",
    "DEFAULT_TIME_LIMIT",
    "IMAGE_EXTENSIONS",
    "QUESTION_ID",
    "SLUG",
    "TAG_MAX_LENGTH",
    "TIEBREAK_CRITERIA",
    "LoadError",
    "Problem",
    "StrPath",
    "load_bank",
    "load_banks",
    "load_contest",
    "load_files",
]
