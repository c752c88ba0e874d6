"""The house's size rule (docs/architecture.md "Sizes"): no module of `quiz/`
over about 400 lines, no function over about 50, except those allowed here,
each with its reason. A new long module or function fails until it is split
or allowed (with a reason) below."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "quiz"
MODULE_LINES = 400
FUNCTION_LINES = 50

# module (relative to the repository) -> why it stays longer than MODULE_LINES
LONG_MODULES: dict[str, str] = {
    "quiz/web/workers.py": "the three kinds of process of `--workers` (supervisor, authority, "
    "edge), each start told as named steps; one module so their hand-offs read together",
}

# "module:function" (a method as "module:Class.method") -> why it stays longer
LONG_FUNCTIONS: dict[str, str] = {
    "quiz/web/server.py:_serve_gevent": "gevent's server loop with its SO_REUSEPORT "
    "listener and socket options, one sequence that reads best whole",
}


def _functions(tree: ast.AST, prefix: str = "") -> list[tuple[str, int]]:
    """(qualified name, lines) of every function, methods as Class.method."""
    found: list[tuple[str, int]] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            found.append((prefix + node.name, lines))
            found += _functions(node, prefix + node.name + ".")
        elif isinstance(node, ast.ClassDef):
            found += _functions(node, prefix + node.name + ".")
        else:
            found += _functions(node, prefix)
    return found


@cache
def sizes() -> tuple[dict[str, int], dict[str, int]]:
    """Modules over MODULE_LINES and functions over FUNCTION_LINES, with their lengths."""
    modules: dict[str, int] = {}
    functions: dict[str, int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        lines = len(source.splitlines())
        if lines > MODULE_LINES:
            modules[name] = lines
        for function, length in _functions(ast.parse(source)):
            if length > FUNCTION_LINES:
                functions[f"{name}:{function}"] = length
    return modules, functions


def test_no_module_is_long_unless_allowed() -> None:
    modules, _ = sizes()
    extra = {name: lines for name, lines in modules.items() if name not in LONG_MODULES}
    assert not extra, f"over {MODULE_LINES} lines: split, or allow with a reason: {extra}"


def test_no_function_is_long_unless_allowed() -> None:
    _, functions = sizes()
    extra = {name: lines for name, lines in functions.items() if name not in LONG_FUNCTIONS}
    assert not extra, f"over {FUNCTION_LINES} lines: split, or allow with a reason: {extra}"


def test_every_allowance_is_still_needed() -> None:
    """An allowance for what is no longer long (or no longer exists) is removed."""
    modules, functions = sizes()
    stale = [name for name in LONG_MODULES if name not in modules]
    stale += [name for name in LONG_FUNCTIONS if name not in functions]
    assert not stale, f"no longer long, remove the allowance: {stale}"


def test_the_counter_sees_a_long_function_and_a_method(tmp_path: Path) -> None:
    source = "class A:\n    def m(self):\n" + "        x = 1\n" * 60 + "def f():\n    pass\n"
    found = dict(_functions(ast.parse(source)))
    assert found == {"A.m": 61, "f": 2}
