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

from medtrace.cache import load_value, store_value
from medtrace.diagnostics import Diagnostic
from medtrace.identity import code_identity
from medtrace.render.diagnostics import Summary, render_diagnostics

__all__ = ["kept_report"]

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
    if directory is None or not key or fmt == "text" or not _PLAIN.fullmatch(fmt):
        return render_diagnostics(fmt, diagnostics, summary)
    name, salt = f"report-{fmt}", f"report/{code_identity()}"
    kept = load_value(directory, name, salt)
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == key and isinstance(kept[1], str):
        return kept[1]
    text = render_diagnostics(fmt, diagnostics, summary)
    store_value(directory, name, salt, [key, text])
    return text
