"""parse_junit on bad and hostile input: a diagnostic each time, never an exception."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from medtrace.diagnostics import Severity
from medtrace.results import parse_junit

pytestmark = pytest.mark.verifies("SRS-20")

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<testsuite name="s">
  <testcase name="text"><failure>&lol9;</failure></testcase>
  <testcase name="attribute"><failure message="&lol9;"/></testcase>
</testsuite>
"""


def only(data: bytes, source: str = "build/r.xml") -> tuple[str, int, int, str]:
    """The one diagnostic ``data`` gives: found, line, column, hint. Checks the rest."""
    results, diagnostics = parse_junit(data, source)
    assert results == []
    (diagnostic,) = diagnostics
    assert (diagnostic.code, diagnostic.rule) == ("MT120", "results-malformed")
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.expected == "a JUnit XML file"
    assert diagnostic.path == source
    return diagnostic.found, diagnostic.line, diagnostic.column, diagnostic.hint


def test_a_cut_short_file_names_where_and_why() -> None:
    found, line, column, hint = only(
        b'<testsuites>\n<testsuite name="s">\n<testcase name="a"/>\n<test'
    )
    assert found.startswith("malformed XML, cut short: ")
    assert (line, column) == (4, 6)
    assert "interrupted" in hint and "pytest --junitxml=FILE" in hint


def test_its_results_before_the_error_are_not_kept() -> None:
    data = b'<testsuite><testcase name="a"/><testcase name="b"/><testcase name="c" </testsuite>'
    found, line, _, hint = only(data)
    assert found.startswith("malformed XML: ") and "cut short" not in found
    assert line == 1 and "jest-junit" in hint and "ctest --output-junit FILE" in hint


def test_a_file_that_stops_after_an_element() -> None:
    found, line, _, hint = only(b'<testsuites>\n<testsuite name="s">\n<testcase name="a"/>\n')
    assert found.startswith("malformed XML, cut short: Premature end of data") and line == 4
    assert "interrupted" in hint


def test_not_xml_at_all() -> None:
    found, line, column, _ = only(b"PASSED 12 tests\n")
    assert found.startswith("malformed XML: Start tag expected") and (line, column) == (1, 1)


def test_xml_that_is_not_junit() -> None:
    found, line, _, _ = only(
        b'<?xml version="1.0"?>\n<html><body><testcase name="x"/></body></html>'
    )
    assert found == "a root element <html>, not <testsuites> or <testsuite>"
    assert line == 2


def test_not_junit_without_any_testcase() -> None:
    found, line, _, _ = only(b"<coverage><class name='x'/></coverage>")
    assert "<coverage>" in found and line == 1


@pytest.mark.parametrize("data", [b"", b"  \n\t", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n"])
def test_an_empty_file(data: bytes) -> None:
    assert only(data)[:2] == ("empty file", 0)


def test_bytes_that_are_not_utf8() -> None:
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n<testsuite>\n<testcase name="caf\xe9"/></testsuite>'
    found, line, _, hint = only(data)
    assert found.startswith("text that cannot be decoded") and line == 3
    assert "UTF-8" in hint


def test_an_unknown_encoding() -> None:
    data = b'<?xml version="1.0" encoding="klingon-8"?><testsuite/>'
    found, _, _, hint = only(data)
    assert "klingon-8" in found and "encoding" in hint


def test_billion_laughs_do_not_expand() -> None:
    start = time.perf_counter()
    results, diagnostics = parse_junit(BILLION_LAUGHS, "r.xml")
    assert time.perf_counter() - start < 1
    assert not any("lollollol" in r.message for r in results)
    assert [d.code for d in diagnostics] == ["MT120"]  # a file that declares entities is refused
    assert diagnostics[0].found == "a DOCTYPE that declares entities"
    assert diagnostics[0].line > 0


def test_a_file_that_declares_entities_is_refused_not_expanded() -> None:
    """libxml2 expands internal entities in attribute values whatever the parser options: a
    JUnit file that declares any entity is refused (no runner writes one)."""
    data = b"""<!DOCTYPE t [<!ENTITY word "expanded">]>
<testsuite><testcase name="&word;"><failure>&word; failure</failure></testcase></testsuite>"""
    results, diagnostics = parse_junit(data, "r.xml")
    assert results == []
    assert [(d.code, d.found, d.line) for d in diagnostics] == [
        ("MT120", "a DOCTYPE that declares entities", 1)
    ]


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE t [
  <!ENTITY file SYSTEM "{secret.as_uri()}">
  <!ENTITY net SYSTEM "http://127.0.0.1:9/leak">
  <!ENTITY % remote SYSTEM "{secret.as_uri()}">
]>
<testsuite><testcase name="t"><failure>&file; &net; read</failure>
<properties><property name="p">&file;</property></properties></testcase></testsuite>""".encode()
    results, diagnostics = parse_junit(data, "r.xml")
    assert results == []
    assert "TOP-SECRET" not in repr(diagnostics)
    assert [(d.code, d.found) for d in diagnostics] == [
        ("MT120", "a DOCTYPE that declares entities")
    ]


def test_an_external_entity_in_an_attribute_is_an_error(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    data = f"""<!DOCTYPE t [<!ENTITY file SYSTEM "{secret.as_uri()}">]>
<testsuite><testcase name="&file;"/></testsuite>""".encode()
    found, _, _, _ = only(data)
    assert "TOP-SECRET" not in found


def test_an_external_dtd_is_not_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY word "FROM-DTD">', encoding="utf-8")
    data = f"""<!DOCTYPE testsuite SYSTEM "{dtd.as_uri()}">
<testsuite><testcase name="t"><failure>&word; x</failure></testcase></testsuite>""".encode()
    results, _ = parse_junit(data, "r.xml")
    assert all("FROM-DTD" not in repr(r) for r in results)


def test_garbage_bytes_never_raise() -> None:
    for data in (b"\x00\x01\x02", b"<\xff\xfe>", b"<testsuite><![CDATA[", b"<a><b></a>", b"<?xml"):
        results, diagnostics = parse_junit(data, "r.xml")
        assert results == [] and [d.code for d in diagnostics] == ["MT120"]
