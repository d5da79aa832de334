"""A rendered report, kept for the next check of the same inputs.

Once nothing has changed, ``check`` answers from the result cache in a fraction of a second;
rendering the report then took as long again (115,000 statuses as indented JSON). A report is a
function of the check's result, its format and the options alone, and the result is what the
result cache keeps under the digest of the inputs and the stat identities of the files the
rules read besides (see :attr:`medtrace.pipeline.CheckResult.inputs_digest`). So one report per
format is kept under that key, and read back instead of rendered while the key is the same; a
report made by another medtrace (its code identity is the salt) is never read back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeGuard

from medtrace.cache import SUFFIX, load_value, store_value
from medtrace.diagnostics import Diagnostic
from medtrace.identity import code_identity
from medtrace.render.diagnostics import Summary, render_diagnostics

__all__ = ["kept_report", "kept_reports"]

#: Formats whose report is a function of the findings and summary alone (``text`` is laid out
#: for the terminal it is printed on).
_PLAIN = re.compile(r"[a-z0-9-]+")


# @implements SRS-311
def kept_report(
    fmt: str,
    diagnostics: Sequence[Diagnostic],
    summary: Summary,
    *,
    directory: Path | None,
    key: str,
) -> str:
    """The report in ``fmt``: the one kept under ``key`` in ``directory``, else rendered now
    (and kept for the next check). Without a directory, or ``key``, it is simply rendered."""
    if directory is None or not key or not _keepable(fmt):
        return render_diagnostics(fmt, diagnostics, summary)
    kept = load_value(directory, f"report-{fmt}", _salt())
    if _valid(kept) and kept[0] == key:
        return str(kept[1])
    text = render_diagnostics(fmt, diagnostics, summary)
    store_value(directory, f"report-{fmt}", _salt(), [key, text, summary.strict])
    return text


def kept_reports(directory: Path) -> list[tuple[str, bool]]:
    """The format and ``--strict`` of each report kept in ``directory`` (what a resident
    server renders again, ahead, once the project changed)."""
    out = []
    for path in sorted(directory.glob(f"report-*{SUFFIX}")):
        fmt = path.name[len("report-") : -len(SUFFIX)]
        kept = load_value(directory, f"report-{fmt}", _salt()) if _keepable(fmt) else None
        if _valid(kept):
            out.append((fmt, bool(kept[2])))
    return out


def _keepable(fmt: str) -> bool:
    return fmt != "text" and _PLAIN.fullmatch(fmt) is not None


def _valid(kept: object) -> TypeGuard[list[Any]]:
    return (
        isinstance(kept, list)
        and len(kept) == 3
        and isinstance(kept[0], str)
        and isinstance(kept[1], str)
        and isinstance(kept[2], bool)
    )


def _salt() -> str:
    return f"report/{code_identity()}"
