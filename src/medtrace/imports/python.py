"""Python imports, read with :mod:`ast` (the code is parsed, never imported)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from medtrace.imports.model import RawImport

__all__ = ["absolute", "python_imports"]


# @implements SRS-152
def python_imports(source: bytes) -> list[RawImport] | None:
    """The imports of a Python file, relative ones written with their leading dots (resolved
    against the file's package later: the package depends on the other files); ``None`` if it
    does not parse (the scanner reports unreadable files)."""
    if b"import" not in source:
        return []  # no import statement can be written without the word
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    out: list[RawImport] = []
    for node in _statements(tree):
        if isinstance(node, ast.Import):
            out.extend(RawImport(node.lineno, "python", a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            if base == "__future__":
                continue
            for alias in node.names:
                joint = "" if base.endswith(".") else "."
                full = f"{base}{joint}{alias.name}"
                out.append(RawImport(node.lineno, "python", base, full))
    return sorted(out)


_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def _statements(tree: ast.Module) -> Iterator[ast.AST]:
    """Every statement, nested ones too, without visiting expressions (an import is always a
    statement; expressions are most of a tree)."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        yield node
        for name in _BLOCKS:
            block = getattr(node, name, None)
            if isinstance(block, list):
                stack.extend(block)


def absolute(target: str, module: str, is_package: bool) -> str | None:
    """``target`` (``..pkg.mod``) made absolute from the module ``module``; ``None`` beyond the
    top package (Python refuses it)."""
    level = len(target) - len(target.lstrip("."))
    if not level:
        return target
    package = module if is_package else module.rpartition(".")[0]
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    kept = parts[: len(parts) - (level - 1)]
    rest = target[level:]
    if rest:
        kept.append(rest)
    return ".".join(kept)
