"""Rules of the house that a reader relies on and no linter checks (issue 18): no module of
the product over 600 lines (split it by aggregate), and a function-local import says why it
is not at the top (a cycle it breaks, a heavy library loaded on use, the app registry)."""

from __future__ import annotations

import ast
from pathlib import Path

import samarbeid

ROOT = Path(samarbeid.__file__).parent
MOST_LINES = 600


def _product_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not {"migrations", "tests"} & set(path.relative_to(ROOT).parts)
    )


def test_the_product_modules_are_found() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in _product_modules()}
    assert {"core/stamps.py", "finance/models/__init__.py"} <= names
    assert not any("/tests/" in name or "/migrations/" in name for name in names)


def test_no_module_is_over_600_lines() -> None:
    long = {
        path.relative_to(ROOT).as_posix(): n
        for path in _product_modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert not long, f"split these by aggregate (at most {MOST_LINES} lines): {long}"


def unexplained_local_imports(source: str) -> list[int]:
    """Lines of imports inside a function with no comment between the function's first
    line and the import's last (one comment may speak for the imports after it)."""
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                before = lines[function.lineno - 1 : node.end_lineno or node.lineno]
                if not any("#" in line for line in before):
                    found.append(node.lineno)
    return sorted(set(found))


def test_the_rule_finds_an_import_without_a_why() -> None:
    source = "def f():\n    from a import b\n\n\ndef g():\n    # on use: a cycle\n    import c\n"
    assert unexplained_local_imports(source) == [2]


def test_every_function_local_import_says_why() -> None:
    unexplained = [
        f"{path.relative_to(ROOT).as_posix()}:{line}"
        for path in _product_modules()
        for line in unexplained_local_imports(path.read_text(encoding="utf-8"))
    ]
    assert not unexplained, (
        "import at the top of the module, or say in a comment why not: " + ", ".join(unexplained)
    )
