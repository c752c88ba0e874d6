"""Line-aware YAML reading for hand-written banks and contest files.

Owns turning a file's bytes into a small tree of `Scalar`, `Seq` and `Map`
nodes that remember where they were written (1-based lines), keep every
scalar's text exactly as written (`1.10` stays "1.10", `No` stays "No"), and
keep a key written twice in one mapping instead of silently dropping it.
File-level failures (unreadable, not UTF-8, not YAML, several documents)
raise `SourceError` with a line where one is known.

Built on PyYAML's `SafeLoader` (composing nodes, never constructing arbitrary
objects). A file whose aliases expand past quiz.files.untrusted's limit (a
"billion laughs") is refused before its tree is built. Imports only
quiz.files.untrusted from the rest of the package, and nothing from Flask or Socket.IO.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from quiz.files.untrusted import MAX_YAML_NODES, yaml_size

ScalarKind = Literal["str", "int", "float", "bool", "null", "date", "datetime"]
ScalarValue = str | int | float | bool | None | datetime.date

_CORE = "tag:yaml.org,2002:"
_SCALAR_KINDS: dict[str, ScalarKind] = {
    _CORE + "str": "str",
    _CORE + "int": "int",
    _CORE + "float": "float",
    _CORE + "bool": "bool",
    _CORE + "null": "null",
    _CORE + "timestamp": "date",
    # YAML 1.1 gives `=` and `<<` tags of their own; as values they are plain text.
    _CORE + "value": "str",
    _CORE + "merge": "str",
}
_MERGE_TAG = _CORE + "merge"
_SEQ_TAG = _CORE + "seq"
_MAP_TAG = _CORE + "map"


class SourceError(Exception):
    """The file cannot be read as one YAML document at all."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Scalar:
    """A scalar as written: `text` is the source text, `value` what YAML reads."""

    text: str
    kind: ScalarKind
    value: ScalarValue
    line: int
    plain: bool  # written without quotes or block style

    @property
    def is_null(self) -> bool:
        return self.kind == "null"


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]
    line: int


@dataclass(frozen=True)
class Entry:
    """One `key: value` pair of a mapping, with the key's line."""

    key: str
    key_line: int
    value: Node


@dataclass(frozen=True)
class Map:
    """A mapping: the first occurrence of each key, in order, and any repeats."""

    entries: tuple[Entry, ...]
    duplicates: tuple[Entry, ...]
    line: int

    def get(self, key: str) -> Entry | None:
        for entry in self.entries:
            if entry.key == key:
                return entry
        return None


Node = Scalar | Seq | Map


@dataclass(frozen=True)
class Issue:
    """Something wrong inside an otherwise readable document."""

    line: int
    message: str


@dataclass(frozen=True)
class Document:
    root: Node | None  # None for an empty document
    issues: tuple[Issue, ...]


def describe(node: Node) -> str:
    """A short description of a node for error messages: `'2019'`, `a list`."""
    if isinstance(node, Scalar):
        if node.is_null and node.text in ("", "~"):
            return "empty"
        text = node.text if len(node.text) <= 60 else node.text[:57] + "..."
        return repr(text)
    if isinstance(node, Seq):
        return "an empty list" if not node.items else "a list"
    return "a mapping"


def load_file(path: str | Path) -> Document:
    """Read and parse one YAML file; raise SourceError if that is impossible."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SourceError(1, "file not found") from None
    except IsADirectoryError:
        raise SourceError(1, "is a folder, not a file") from None
    except OSError as error:
        raise SourceError(1, f"cannot read the file ({error.strerror})") from None
    except ValueError:  # a path with a NUL character
        raise SourceError(1, "cannot read the file (not a usable path)") from None
    return parse_text(decode(data))


def decode(data: bytes) -> str:
    """UTF-8 text, with or without a byte-order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise SourceError(
            line, f"the file is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8"
        ) from None


def parse_text(text: str) -> Document:
    """Parse one YAML document into line-aware nodes."""
    try:
        return _parse(text)
    except yaml.MarkedYAMLError as error:
        raise _yaml_error(error) from None
    except ReaderError as error:
        line = text[: error.position].count("\n") + 1
        raise SourceError(
            line, f"not valid YAML: the character U+{error.character:04X} is not allowed"
        ) from None
    except yaml.YAMLError as error:
        raise SourceError(1, f"not valid YAML: {error}") from None
    except RecursionError:
        raise SourceError(1, "not usable YAML: nested too deeply") from None


def _parse(text: str) -> Document:
    loader = yaml.SafeLoader(text)
    try:
        root = _compose_single(loader)
        if root is None:
            return Document(None, ())
        if yaml_size(root) > MAX_YAML_NODES:
            raise SourceError(
                root.start_mark.line + 1,
                f"the file's aliases (*name) expand to more than {MAX_YAML_NODES} values "
                "(an alias bomb?); a bank needs far fewer: write the values out",
            )
        converter = _Converter(loader)
        return Document(converter.convert(root), tuple(converter.issues))
    finally:
        loader.dispose()


def _compose_single(loader: yaml.SafeLoader) -> yaml.Node | None:
    if not loader.check_node():
        return None
    root = loader.get_node()
    if loader.check_node():
        line = loader.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]
        raise SourceError(line, "a second YAML document starts here; the file must hold only one")
    return root


def _yaml_error(error: yaml.MarkedYAMLError) -> SourceError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else 1
    parts = [part for part in (error.context, error.problem) if part]
    detail = ", ".join(parts) if parts else "cannot be parsed"
    return SourceError(line, f"not valid YAML: {detail}")


class _Converter:
    """Turns PyYAML nodes into `Scalar`/`Seq`/`Map`, collecting issues.

    Aliases make the node graph shared, possibly cyclic: results are cached per
    node (so a shared node is converted once), and a node met again while it
    is being converted is a recursive alias.
    """

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.issues: list[Issue] = []
        self.done: dict[int, Node] = {}
        self.in_progress: set[int] = set()

    def convert(self, node: yaml.Node) -> Node:
        key = id(node)
        if key in self.done:
            return self.done[key]
        line = node.start_mark.line + 1
        if key in self.in_progress:
            self.issues.append(Issue(line, "a recursive alias (a node that contains itself)"))
            return Scalar("", "null", None, line, True)
        self.in_progress.add(key)
        result = self._convert_new(node, line)
        self.in_progress.discard(key)
        self.done[key] = result
        return result

    def _convert_new(self, node: yaml.Node, line: int) -> Node:
        if isinstance(node, ScalarNode):
            return self._scalar(node, line)
        if isinstance(node, SequenceNode):
            self._check_tag(node.tag, _SEQ_TAG, line)
            return Seq(tuple(self.convert(item) for item in node.value), line)
        if isinstance(node, MappingNode):
            self._check_tag(node.tag, _MAP_TAG, line)
            return self._mapping(node, line)
        raise TypeError(f"unexpected YAML node {node!r}")  # PyYAML has only three kinds

    def _check_tag(self, tag: str, expected: str, line: int) -> None:
        if tag != expected:
            self.issues.append(Issue(line, f"unsupported YAML tag {_short_tag(tag)}"))

    def _scalar(self, node: ScalarNode, line: int) -> Scalar:
        text = str(node.value)
        plain = node.style is None
        kind = _SCALAR_KINDS.get(node.tag)
        if kind is None:
            self.issues.append(Issue(line, f"unsupported YAML tag {_short_tag(node.tag)}"))
            return Scalar(text, "str", text, line, plain)
        if kind == "str":
            return Scalar(text, kind, text, line, plain)
        try:
            value = self.loader.construct_object(node)
        except (ValueError, OverflowError, TypeError, yaml.YAMLError):
            # e.g. the date 2023-02-30: keep it as the text it is.
            return Scalar(text, "str", text, line, plain)
        if isinstance(value, datetime.datetime):
            kind = "datetime"
        return Scalar(text, kind, value, line, plain)

    def _mapping(self, node: MappingNode, line: int) -> Map:
        entries: dict[str, Entry] = {}
        duplicates: list[Entry] = []
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE_TAG:
                self.issues.append(
                    Issue(key_line, "merge keys ('<<') are not supported; write the keys out")
                )
                continue
            if not isinstance(key_node, ScalarNode):
                self.issues.append(Issue(key_line, "a key must be a plain text, not a list or map"))
                continue
            entry = Entry(str(key_node.value), key_line, self.convert(value_node))
            if entry.key in entries:
                duplicates.append(entry)
            else:
                entries[entry.key] = entry
        return Map(tuple(entries.values()), tuple(duplicates), line)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
