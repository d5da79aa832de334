"""Safe XML parsing for reports: lxml with the settings of the JUnit reader
(:mod:`medtrace.results.junit`): no entity expansion, no DTD, no network."""

from __future__ import annotations

import io
import re

from lxml import etree

from medtrace.diagnostics import Diagnostic
from medtrace.evidence import codes

__all__ = ["parse", "unreadable"]

_POSITION = re.compile(r",? line \d+, column \d+$")


# @implements SRS-129
def parse(data: bytes) -> etree._Element:
    """The root element of ``data``; raises ``etree.LxmlError`` on malformed XML."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    return etree.parse(io.BytesIO(data), parser).getroot()


def unreadable(data: bytes, source: str, exc: etree.LxmlError) -> Diagnostic:
    """The located diagnostic of an XML report that lxml could not parse."""
    if not isinstance(exc, etree.XMLSyntaxError):
        return codes.malformed(source, f"unreadable XML: {exc}")
    message = _POSITION.sub("", str(exc.msg or exc)).strip()
    line, column = exc.position if exc.position else (0, 0)
    if _at_end(data, line, column):
        return codes.malformed(
            source,
            f"malformed XML, cut short: {message}",
            line=line,
            column=max(column, 0),
            hint=codes.TRUNCATED_HINT,
        )
    return codes.malformed(source, f"malformed XML: {message}", line=line, column=max(column, 0))


def _at_end(data: bytes, line: int, column: int) -> bool:
    content = data.rstrip()
    last_line = content.count(b"\n") + 1
    last_column = len(content) - content.rfind(b"\n") - 1
    return line > last_line or (line == last_line and column > last_column)


def line_of(element: etree._Element) -> int:
    line: int | None = element.sourceline  # type: ignore[assignment]
    return line or 0
