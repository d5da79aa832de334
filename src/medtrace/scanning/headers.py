"""C or C++: which grammar reads a ``.h`` header.

A header is C++ when its code (comments, string literals and ``[[attributes]]`` left out) uses what C has not:
``namespace``, ``template <``, a ``class`` with a body or bases, an access specifier
(``public:``), a scope operator (``std::``), ``operator`` overloads, ``virtual``,
``noexcept`` or ``typename`` (not ``nullptr`` nor ``constexpr``, which C23 has too), or an
extension-less standard header (``#include <vector>``). The ``extern "C"``
guard of a C header read by C++ compilers does not count. Failing that, a C++ source file of the
same name beside it (``a.cpp`` for ``a.h``) makes it C++; otherwise it is C.
"""

from __future__ import annotations

import os
import re

__all__ = ["CPP_SIBLINGS", "looks_cpp", "sibling_is_cpp"]

#: Suffixes of the C++ files whose presence beside a header makes it C++.
CPP_SIBLINGS = (".cpp", ".cc", ".cxx", ".c++", ".hpp", ".hh", ".hxx")

_COMMENTS_AND_STRINGS = re.compile(
    rb'//[^\n]*|/\*.*?(?:\*/|\Z)|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    rb"|\[\[[^\]\n]*\]\]",  # C23 attributes too: [[gnu::unused]]
    re.DOTALL,
)
_CPP = re.compile(
    rb"^[ \t]*(?:template[ \t]*<|namespace(?:[ \t]+[\w:]+)?[ \t]*\{|using[ \t]+namespace\b"
    rb"|#[ \t]*include[ \t]*<[a-z_]+>)"
    rb"|(?:^|[{;])[ \t]*(?:public|private|protected)[ \t]*:(?!:)"
    rb"|\bclass[ \t]+\w+(?:[ \t]+\w+)?[ \t]*(?:\{|:[^:])"
    rb"|\w::~?\w|\boperator[ \t]*(?:[=<>!+\-*/%&|^~\[(]|new\b|delete\b)"
    rb"|\b(?:virtual|noexcept|typename)\b",
    re.MULTILINE,
)


# @implements SRS-40
def looks_cpp(data: bytes) -> bool:
    """Whether the header's code uses C++ (see the module)."""
    code = _COMMENTS_AND_STRINGS.sub(b" ", data)
    return _CPP.search(code) is not None


def sibling_is_cpp(path: str) -> bool:
    """Whether a C++ source file of the same name sits beside the header at ``path``."""
    # what Path.with_suffix gives, on plain strings: a header of every C file asks (cheaper)
    stem = os.path.splitext(path)[0]  # noqa: PTH122
    return any(os.path.exists(stem + suffix) for suffix in CPP_SIBLINGS)  # noqa: PTH110
