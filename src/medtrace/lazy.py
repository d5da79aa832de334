"""Names a package exports but imports only on first use (PEP 562 module ``__getattr__``).

Heavy parts (YAML and XML parsers, tree-sitter grammars, the configuration schema) stay out of
start-up, so that a command answered from the cache, or ``import medtrace``, stays fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: each name in ``homes`` is imported from its
    module when first asked for."""

    def __getattr__(name: str) -> Any:
        module = homes.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    return __getattr__
