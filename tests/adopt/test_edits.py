"""Where a tag goes on its line, and that the file comes back byte for byte otherwise."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from medtrace.adopt import write_plans
from medtrace.adopt.comments import CommentSpan
from medtrace.adopt.edits import apply, encode_like, insertion_point, unified_diff

from .conftest import adopt_plan

pytestmark = pytest.mark.verifies("SRS-83")

Project = Callable[[Mapping[str, str | bytes]], Path]


def point(text: str, comment: str, docstring: bool = False) -> str:
    """``text`` with ``|`` where a tag for the ID in ``comment`` would go."""
    start = text.index(comment)
    span = CommentSpan(start, start + len(comment), docstring)
    at = insertion_point(text, span, text.index("SRS-1", start))
    return text[:at] + "|" + text[at:]


@pytest.mark.parametrize(
    ("text", "comment", "docstring", "expected"),
    [
        ("x; // SRS-1 here  \n", "// SRS-1 here  ", False, "x; // SRS-1 here|  \n"),
        ("/* SRS-1 */ int x;\n", "/* SRS-1 */", False, "/* SRS-1| */ int x;\n"),
        ("/*SRS-1**/\n", "/*SRS-1**/", False, "/*SRS-1|**/\n"),
        (
            "/*\n * SRS-1 a\n * b\n */\n",
            "/*\n * SRS-1 a\n * b\n */",
            False,
            "/*\n * SRS-1 a|\n * b\n */\n",
        ),
        ('"""Doc SRS-1."""\n', '"""Doc SRS-1."""', True, '"""Doc SRS-1.|"""\n'),
        ("'Doc SRS-1'\n", "'Doc SRS-1'", True, "'Doc SRS-1|'\n"),
        ('r"""Doc SRS-1."""\n', 'r"""Doc SRS-1."""', True, 'r"""Doc SRS-1.|"""\n'),
        ("b'''SRS-1'''\n", "b'''SRS-1'''", True, "b'''SRS-1|'''\n"),
        ("# SRS-1 crlf\r\nx = 1\r\n", "# SRS-1 crlf", False, "# SRS-1 crlf|\r\nx = 1\r\n"),
    ],
)
def test_insertion_point(text: str, comment: str, docstring: bool, expected: str) -> None:
    assert point(text, comment, docstring) == expected


def test_apply_inserts_at_original_offsets() -> None:
    assert apply("abcdef", [(4, "Y"), (2, "X")]) == "abXcdYef"


@pytest.mark.parametrize(
    ("original", "text"),
    [
        ("café SRS-1".encode(), "café SRS-1"),
        (codecs.BOM_UTF8 + "café".encode(), "café"),
        ("café".encode("cp1252"), "café"),
        (codecs.BOM_UTF16_LE + "café".encode("utf-16-le"), "café"),
        (codecs.BOM_UTF16_BE + "café".encode("utf-16-be"), "café"),
    ],
)
def test_encode_like_keeps_encoding_and_byte_order_mark(original: bytes, text: str) -> None:
    updated = encode_like(original, text, text + " @implements SRS-1")
    assert updated is not None
    assert updated.startswith(original)
    assert len(updated) > len(original)


def test_encode_like_refuses_what_would_not_come_back() -> None:
    assert encode_like(b"caf\xc3\xa9", "cafe", "cafe!") is None


def test_unified_diff() -> None:
    diff = unified_diff("a.c", "x\r\n// SRS-1\r\ny\r\n", "x\r\n// SRS-1 @implements SRS-1\r\ny\r\n")
    assert diff.splitlines() == [
        "--- a/a.c",
        "+++ b/a.c",
        "@@ -1,3 +1,3 @@",
        " x",
        "-// SRS-1",
        "+// SRS-1 @implements SRS-1",
        " y",
    ]


@pytest.mark.parametrize(
    ("content", "encoding", "comment"),
    [
        ("// Café: SRS-1\r\nint f(void) { return 0; }\r\n", "cp1252", "// Café: SRS-1"),
        ("// Café: SRS-1\r\nint f(void) { return 0; }\r\n", "utf-8-sig", "// Café: SRS-1"),
        ("// Café: SRS-1\nint f(void) { return 0; }\n", "utf-16", "// Café: SRS-1"),
        ("\t// SRS-1 indented\n\tint f(void) { return 0; }\n", "utf-8", "// SRS-1 indented"),
    ],
)
def test_files_keep_encoding_line_endings_and_indentation(
    project: Project, content: str, encoding: str, comment: str
) -> None:
    root = project({"src/a.c": content.encode(encoding)})
    adoption = adopt_plan(root)
    assert write_plans(adoption.changed, root) == []
    expected = content.replace(comment, comment + " @implements SRS-1")
    assert (root / "src/a.c").read_bytes() == expected.encode(encoding)
