"""``medtrace adopt``: plain ID mentions in comments become tags.

>>> from medtrace.adopt import id_forms, plan, select_kinds
>>> forms = id_forms(config, select_kinds(config, kinds=(), prefixes=()))
>>> adoption = plan(config, known={"SRS-1": "software-requirement"}, forms=forms)

**Mentions.** In every comment and docstring of the project's code and test files (the parsers
of :mod:`medtrace.scanning`, never a pattern over the whole file, so strings of code are never
read), an ID of the selected kinds standing as a word of its own (see
:mod:`medtrace.adopt.mentions`). By default the kinds that tags trace: system and software
requirements and risks.

**Tags.** A known ID becomes ``@implements ID`` in a source file and ``@verifies ID`` in a test
file, added at the end of the mentioning comment line (see :mod:`medtrace.adopt.edits`); the
scanner, run again on the new text, must read it whole and gives its owner (see
:mod:`medtrace.adopt.planning`). An ID the symbol already carries is not tagged twice. An unknown
ID is listed with the closest known one, never converted.

**Writing.** :func:`write_plans` writes each file atomically in its own encoding, line endings
and mode, unless it changed since it was read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medtrace.adopt.model import Adoption, FilePlan, Proposal, Refusal, Unknown
from medtrace.lazy import lazy_attributes

if TYPE_CHECKING:
    from medtrace.adopt.mentions import DEFAULT_KINDS, IdForms, id_forms, select_kinds
    from medtrace.adopt.planning import plan
    from medtrace.adopt.write import write_plans

__all__ = [
    "DEFAULT_KINDS",
    "Adoption",
    "FilePlan",
    "IdForms",
    "Proposal",
    "Refusal",
    "Unknown",
    "id_forms",
    "plan",
    "select_kinds",
    "write_plans",
]

_LAZY = {
    "DEFAULT_KINDS": "medtrace.adopt.mentions",
    "IdForms": "medtrace.adopt.mentions",
    "id_forms": "medtrace.adopt.mentions",
    "select_kinds": "medtrace.adopt.mentions",
    "plan": "medtrace.adopt.planning",
    "write_plans": "medtrace.adopt.write",
}

__getattr__ = lazy_attributes(__name__, _LAZY)
