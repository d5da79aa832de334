"""Files that are not plain UTF-8 source: other encodings, binary files, huge files."""

from __future__ import annotations

import codecs

import pytest

from medtrace.diagnostics import Severity
from medtrace.scanning.reading import binary, decode

from .helpers import Scanned, Write

pytestmark = pytest.mark.verifies("SRS-19")


def test_utf8_with_a_byte_order_mark(write: Write, scanned: Scanned) -> None:
    write(
        "src/a.c", codecs.BOM_UTF8 + "// é: @implements SRS-1\nint f(void) { return 0; }\n".encode()
    )
    result = scanned()
    assert [(t.ids, t.line, t.symbol) for t in result.tags] == [(("SRS-1",), 1, "f")]
    assert result.diagnostics == []


def test_windows_1252_is_read_and_reported(write: Write, scanned: Scanned) -> None:
    write("src/a.c", "/* \u201cdose\u201d @implements SRS-1 */\nint f(void);\n".encode("cp1252"))
    result = scanned()
    assert [t.ids for t in result.tags] == [("SRS-1",)]
    [problem] = result.diagnostics
    assert (problem.code, problem.rule, problem.severity) == (
        "MT108",
        "file-encoding",
        Severity.WARNING,
    )
    assert problem.path == "src/a.c"
    assert "cp1252" in problem.found and problem.hint


def test_bytes_that_no_8_bit_encoding_refuses(write: Write, scanned: Scanned) -> None:
    write("src/a.py", b"# \x81\x8d @implements SRS-1\n")
    result = scanned()
    assert [t.ids for t in result.tags] == [("SRS-1",)]
    assert [d.code for d in result.diagnostics] == ["MT108"]
    assert "latin-1" in result.diagnostics[0].found


def test_utf16_with_a_byte_order_mark(write: Write, scanned: Scanned) -> None:
    write("src/a.cs", "// @implements SRS-1\nclass A { void M() {} }\n".encode("utf-16"))
    result = scanned()
    assert [(t.ids, t.symbol) for t in result.tags] == [(("SRS-1",), "A")]
    assert [d.code for d in result.diagnostics] == ["MT108"]


def test_a_binary_file_is_skipped(write: Write, scanned: Scanned) -> None:
    write("src/a.c", b"// @implements SRS-1\n\x00\x01\x02")
    result = scanned()
    assert result.tags == []
    assert result.skipped == [("src/a.c", "binary file (NUL bytes)")]
    assert result.files == []
    [note] = result.diagnostics
    assert (note.code, note.rule, note.severity, note.path) == (
        "MT109",
        "file-skipped",
        Severity.NOTE,
        "src/a.c",
    )


def test_a_huge_file_is_skipped(write: Write, scanned: Scanned) -> None:
    write("src/a.py", "# @implements SRS-1\n" + "x = 1\n" * 100)
    write("src/b.py", "# @implements SRS-2\n")
    result = scanned(max_file_bytes=100)
    assert [t.ids for t in result.tags] == [("SRS-2",)]
    assert [path for path, _ in result.skipped] == ["src/a.py"]
    assert "more than the 100 bytes" in result.skipped[0][1]
    assert [d.code for d in result.diagnostics] == ["MT109"]


def test_a_file_of_no_known_language_is_skipped(write: Write, scanned: Scanned) -> None:
    write("src/notes.md", "@implements SRS-1\n")
    result = scanned()
    assert result.skipped == [("src/notes.md", "no known language for this file")]
    assert [d.code for d in result.diagnostics] == ["MT109"]


def test_binary_detection() -> None:
    assert binary(b"abc\x00")
    assert not binary(b"abc")
    assert not binary(codecs.BOM_UTF16_LE + "a".encode("utf-16-le"))
    assert not binary(b"x" * 9000 + b"\x00")


def test_decoding_keeps_utf8_as_is() -> None:
    source, problem = decode("é // @implements X".encode(), "a.c")
    assert source.text == "é // @implements X"
    assert problem is None
