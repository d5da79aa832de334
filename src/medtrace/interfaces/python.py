"""Python interfaces: the public API of a module or package, read statically by ``griffe``
(``allow_inspection=False``: the code is parsed, never imported)."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from medtrace.interfaces.model import Entry, InterfaceDoc, without_tags
from medtrace.interfaces.registry import Declared, extractor

__all__ = ["api_entries", "extract_python", "load_module", "search_path"]


# @implements SRS-154
@extractor("python")
def extract_python(declared: Declared) -> InterfaceDoc:
    module = str(declared.fields.get("module") or "")
    doc = declared.doc("python", module)
    if not module:
        doc.problems.append("the interface names no 'module' (a dotted module or package name)")
        return doc
    loaded = load_module(declared.root, module, declared.item_paths)
    if isinstance(loaded, str):
        doc.problems.append(loaded)
        return doc
    doc.entries = api_entries(loaded, declared.root)
    return doc


def search_path(root: Path, module: str, hints: tuple[str, ...]) -> Path | None:
    """The folder from which ``module`` is importable: tried from the folders of the item's
    paths upward, then the root and ``src``."""
    relative = module.replace(".", "/")
    folders: list[str] = []
    for hint in hints:
        folder = posixpath.dirname(hint.split("*")[0].rstrip("/") + "/x")
        while folder not in folders:
            folders.append(folder)
            if not folder:
                break
            folder = posixpath.dirname(folder)
    for folder in [*folders, "", "src"]:
        base = root / folder
        if (base / relative / "__init__.py").is_file() or (base / f"{relative}.py").is_file():
            return base
    return None


def load_module(root: Path, module: str, hints: tuple[str, ...]) -> Any:
    """The griffe module, or a sentence saying why it cannot be read."""
    import griffe

    base = search_path(root, module, hints)
    if base is None:
        return f"the module '{module}' is found neither beside the item's paths nor in the root"
    try:
        return griffe.load(
            module,
            search_paths=[str(base)],
            allow_inspection=False,
            resolve_aliases=False,
            docstring_parser=None,
        )
    except Exception as error:  # a syntax error, an unreadable file
        return f"the module '{module}' cannot be read: {error}"


def api_entries(module: Any, root: Path | None = None) -> list[Entry]:
    """The public modules, classes, functions and attributes of ``module``, depth first."""
    out: list[Entry] = []
    _walk(module, out, root)
    return out


def _walk(obj: Any, out: list[Entry], root: Path | None) -> None:
    out.append(_entry(obj, root))
    for _name, member in sorted(obj.members.items()):
        if member.is_alias or not _public(member):
            continue
        if member.is_module or member.is_class:
            _walk(member, out, root)
        elif member.is_function or member.is_attribute:
            out.append(_entry(member, root))


def _public(member: Any) -> bool:
    try:
        return bool(member.is_public)
    except Exception:  # griffe could not decide (an unresolvable __all__): keep it
        return not member.name.startswith("_")


def _entry(obj: Any, root: Path | None) -> Entry:
    kind = obj.kind.value
    return Entry(
        kind,
        obj.path,
        signature=_signature(obj),
        doc=_first_paragraph(obj.docstring.value if obj.docstring else ""),
        path=_relative(obj, root),
        line=obj.lineno or 0,
    )


def _signature(obj: Any) -> str:
    if obj.is_function:
        params = ", ".join(_parameters(list(obj.parameters)))
        returns = f" -> {obj.returns}" if obj.returns else ""
        return f"{obj.name}({params}){returns}"
    if obj.is_class:
        bases = ", ".join(str(b) for b in obj.bases)
        return f"class {obj.name}({bases})" if bases else f"class {obj.name}"
    if obj.is_attribute:
        annotation = f": {obj.annotation}" if obj.annotation else ""
        return f"{obj.name}{annotation}"
    return str(obj.path)


def _parameters(params: list[Any]) -> list[str]:
    """Each parameter written as in Python, with ``/`` and ``*`` where the kinds change."""
    out: list[str] = []
    kinds = [p.kind.value for p in params]
    for i, param in enumerate(params):
        first_keyword_only = kinds[i] == "keyword-only" and (i == 0 or kinds[i - 1] != kinds[i])
        if first_keyword_only and "variadic positional" not in kinds[:i]:
            out.append("*")
        out.append(_parameter(param))
        if kinds[i] == "positional-only" and (i + 1 == len(params) or kinds[i + 1] != kinds[i]):
            out.append("/")
    return out


def _parameter(param: Any) -> str:
    kind = param.kind.value
    prefix = "*" if kind == "variadic positional" else "**" if kind == "variadic keyword" else ""
    text = f"{prefix}{param.name}"
    if param.annotation:
        text += f": {param.annotation}"
    if param.default is not None:
        text += f" = {param.default}"
    return text


def _first_paragraph(text: str) -> str:
    return without_tags(" ".join(text.strip().split("\n\n")[0].split()))


def _relative(obj: Any, root: Path | None) -> str:
    filepath = getattr(obj, "filepath", None)
    if root is None or not isinstance(filepath, Path):
        return ""
    try:
        return filepath.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(filepath)
