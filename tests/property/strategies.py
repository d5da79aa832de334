"""Hypothesis strategies for the inputs medtrace reads: text rich in the characters parsers
care about, YAML-like values, item mappings, XML-ish test results and source code."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

__all__ = [
    "code_text",
    "ids",
    "item_mapping",
    "junit_bytes",
    "syntax_text",
    "yaml_text",
    "yaml_values",
]

#: Characters that mean something to YAML, TOML, XML, Markdown or a comment syntax, and some
#: that should never reach a terminal.
SYNTAX = [*"-:[]{}!&*?|>'\"%@`#,.=<>/\\\n\t\r ;()$^~+_", "\x00", "\x1b", "\ufeff", "\u202e"]
WORDS = [
    "id",
    "title",
    "kind",
    "items",
    "type",
    "parents",
    "verification",
    "class",
    "SRS-1",
    "SYS-1",
    "RISK-1",
    "SRS-²",
    "---",
    "...",
    "@implements",
    "@verifies",
    "/*",
    "*/",
    "//",
    '"""',
    "<<",
    "!!binary",
    "!!python/object",
    "&a",
    "*a",
    "? ",
    "\n- ",
    "\n  ",
]

syntax_text = st.lists(
    st.one_of(st.sampled_from(SYNTAX), st.sampled_from(WORDS), st.text(max_size=4)),
    max_size=60,
).map("".join)

ids = st.one_of(
    st.sampled_from(["SRS", "SYS", "RISK", "TC", "ANOM", "SOUP", "srs", "X"]).flatmap(
        lambda p: st.one_of(st.integers(-5, 10**6), st.text(max_size=5)).map(lambda n: f"{p}-{n}")
    ),
    st.text(max_size=12),
    st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True),
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    ids,
    st.dates(),
    st.binary(max_size=8),
)
yaml_values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), ids), inner, max_size=4),
    ),
    max_leaves=12,
)

FIELDS = [
    "id",
    "kind",
    "title",
    "text",
    "type",
    "parents",
    "item",
    "controls",
    "control_type",
    "verification",
    "class",
    "paths",
    "uses",
    "severity",
    "probability",
    "verifies",
    "result",
    "anomalies",
    "status",
]

item_mapping = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), yaml_values, max_size=8
)


def _yaml_scalar(value: object) -> str:
    return str(value).replace("\n", " ")


@st.composite
def yaml_text(draw: st.DrawFn) -> str:
    """Text that is often YAML, sometimes nearly YAML: items with hostile values, then noise."""
    rows = draw(st.lists(item_mapping, max_size=4))
    out = []
    for row in rows:
        lines = [f"{key}: {_yaml_scalar(value)}" for key, value in row.items()]
        out.append("- " + "\n  ".join(lines or ["{}"]))
    text = "\n".join(out)
    cut = draw(st.integers(0, len(text)))
    noise = draw(syntax_text)
    return draw(st.sampled_from([text, text[:cut] + noise + text[cut:], noise]))


@st.composite
def junit_bytes(draw: st.DrawFn) -> bytes:
    """JUnit XML: suites and cases with hostile attributes, then maybe cut or dirtied."""
    attr = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=10).map(
        lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    )
    cases = draw(
        st.lists(
            st.tuples(
                attr,
                attr,
                st.sampled_from(["", "<failure/>", "<skipped/>", "<error message='x'>y</error>"]),
            ),
            max_size=5,
        )
    )
    body = "".join(f'<testcase classname="{c}" name="{n}">{v}</testcase>' for c, n, v in cases)
    root = draw(st.sampled_from(["testsuite", "testsuites", "html", "x:testsuite"]))
    doc = f'<?xml version="1.0" encoding="utf-8"?>\n<{root} name="s">{body}</{root}>\n'.encode()
    how = draw(st.sampled_from(["keep", "cut", "insert", "encode"]))
    if how == "cut":
        return doc[: draw(st.integers(0, len(doc)))]
    if how == "insert":
        at = draw(st.integers(0, len(doc)))
        return doc[:at] + draw(st.binary(max_size=12)) + doc[at:]
    if how == "encode":
        return doc.decode().encode(
            draw(st.sampled_from(["utf-16", "latin-1", "utf-8-sig"])), "replace"
        )
    return doc


CODE = [
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    "/*",
    "*/",
    "//",
    "#",
    '"',
    "'",
    '"""',
    "`",
    "\\",
    "\n",
    "\n    ",
    "@implements SRS-1",
    "@verifies SRS-2, RISK-1",
    "@implements",
    "def f():",
    "class C:",
    "fn f() {",
    "func f() {",
    "function f() {",
    "int f(void) {",
    "test('x', () => {",
    "public void f() {",
    "fun f() {",
    "TEST(A, B) {",
    "@Test",
    "#[test]",
    "x = 1",
    "\x00",
    "\xff",
]
code_text = st.lists(st.one_of(st.sampled_from(CODE), st.text(max_size=3)), max_size=80).map(
    "".join
)
