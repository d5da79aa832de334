"""What the import reader finds in one file: the imports it writes, before resolution."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["RawImport"]


class RawImport(NamedTuple):
    """One import written in a file.

    ``style`` tells how to resolve ``target``: ``python`` (an absolute dotted module; a ``from``
    import also lists ``module.name`` as ``alternative``), ``js`` (an ``import``/``require``
    specifier), ``include`` (``#include "..."``), ``system`` (``#include <...>``), ``jvm`` (a Java
    or Kotlin ``import`` of a dotted name).
    """

    line: int
    style: str
    target: str
    alternative: str = ""
