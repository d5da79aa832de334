"""The hostile corpus, generated (large inputs are never stored in the repository).

Every case is a valid project (see :mod:`hostile.project`) plus one hostile input: malformed or
adversarial item files, configurations, JUnit XML, source files in every scanned language, odd
file-system objects and file names made to forge output. ``cases(sizes)`` lists them; each case
says which files it made hostile and what the run must show about them.

Write the corpus to a folder to look at it or to run medtrace on it by hand::

    .venv/bin/python tests/hostile/generate.py OUT [--full] [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``hostile`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hostile.project import FULL, SHORT, Sizes, Workspace

__all__ = ["Case", "cases"]

Build = Callable[[Workspace], None]


@dataclass(frozen=True)
class Case:
    """One hostile input and what the runs must show about it.

    ``hostile``: the files (relative to the project) made hostile. ``lines``: findings about
    their content carry a line. ``finding``: at least one finding names one of them (the input
    is wrong and must not pass silently). ``survives``: the valid requirement SRS-1 is still in
    the matrix. ``forbid``: regular expressions no output may match (wrong evidence).
    ``forge``: also run the text and GitHub formats and count their finding lines. ``expect``:
    regular expressions the JSON report of check must match (what must not be missed).
    """

    name: str
    group: str
    build: Build
    hostile: tuple[str, ...] = ()
    lines: bool = False
    finding: bool = False
    survives: bool = True
    forbid: tuple[str, ...] = ()
    forge: bool = False
    expect: tuple[str, ...] = ()


# --------------------------------------------------------------------------- item files

#: name → YAML text of a value (inside an item of a YAML list).
VALUES: dict[str, str] = {
    "empty-list": "[]",
    "empty-map": "{}",
    "map": "{a: [1]}",
    "null": "null",
    "bool": "true",
    "big-int": str(2**64 + 1),
    "binary": "!!binary aGVsbG8=",
    "date": "2024-01-01",
    "control": '"bell\\a escape\\e[2J nul\\0"',
    "unicode-digit": '"SRS-²"',
}

#: kind → its fields: (name, what it holds). "choice" fields take one of a few words.
FIELDS: dict[str, list[tuple[str, str]]] = {
    "software-requirement": [
        ("title", "text"),
        ("text", "text"),
        ("type", "choice"),
        ("verification", "choice"),
        ("control_type", "choice"),
        ("status", "text"),
        ("parents", "links"),
        ("item", "link"),
        ("controls", "links"),
        ("rationale", "text"),
    ],
    "software-item": [
        ("class", "choice"),
        ("level", "choice"),
        ("paths", "globs"),
        ("uses", "links"),
        ("parent", "link"),
        ("interfaces", "map"),
    ],
    "risk": [
        ("severity", "choice"),
        ("probability", "choice"),
        ("cause", "choice"),
        ("item", "link"),
        ("soup", "link"),
    ],
    "test-case": [("verifies", "links"), ("result", "choice")],
    "soup": [("anomalies", "map"), ("version", "text")],
    "anomaly": [("status", "choice"), ("related", "links")],
}

_HEAD = {
    "software-requirement": "id: SRS-9\n  title: Hostile\n  type: functional\n",
    "software-item": "id: hostile-item\n  kind: software-item\n  title: Hostile\n  class: B\n",
    "risk": "id: RISK-9\n  title: Hostile\n",
    "test-case": "id: TC-9\n  title: Hostile\n",
    "soup": "id: SOUP-9\n  kind: soup\n  title: Hostile\n",
    "anomaly": "id: ANOM-9\n  title: Hostile\n",
}


def _must_report(holds: str, value: str) -> bool:
    """Whether a field holding ``value`` is certainly wrong (so must be reported)."""
    not_text = value in ("empty-list", "empty-map", "map")
    if value == "null" or holds == "map":
        return False
    if holds == "text":
        return not_text
    if holds == "globs":
        return value not in ("empty-list", "control", "unicode-digit")
    if holds == "links":
        return value != "empty-list"
    return True  # one link, or one word of a few


def _item_with(kind: str, field: str, value: str) -> str:
    head = _HEAD[kind]
    lines = [line for line in head.splitlines() if not line.strip().startswith(f"{field}:")]
    return "- " + "\n".join(lines) + f"\n  {field}: {value}\n"


def _field_cases() -> Iterator[Case]:
    for kind, fields in FIELDS.items():
        for field, holds in fields:
            for value_name, value in VALUES.items():
                text = _item_with(kind, field, value)
                yield Case(
                    f"items/field/{kind}/{field}={value_name}",
                    "items",
                    _writer("docs/hostile.yaml", text),
                    hostile=("docs/hostile.yaml",),
                    lines=True,
                    finding=_must_report(holds, value_name),
                )


def _markdown_field_cases() -> Iterator[Case]:
    for field in ("verification", "class", "type", "parents", "title", "item", "controls"):
        for value_name in ("empty-list", "empty-map", "big-int", "control"):
            text = f"---\ntype: functional\n{field}: {VALUES[value_name]}\n---\n# Hostile\n"
            if field == "type":
                text = f"---\ntype: {VALUES[value_name]}\n---\n# Hostile\n"
            yield Case(
                f"items/markdown/{field}={value_name}",
                "items",
                _writer("docs/SRS-9.md", text),
                hostile=("docs/SRS-9.md",),
                lines=True,
                finding=field != "title" or value_name in ("empty-list", "empty-map"),
            )


def _writer(rel: str, content: str | bytes) -> Build:
    def build(ws: Workspace) -> None:
        ws.write(rel, content)

    return build


def _sized(rel: str, make: Callable[[Sizes], str | bytes]) -> Build:
    def build(ws: Workspace) -> None:
        ws.write(rel, make(ws.sizes))

    return build


WEIRD_DIGITS = {
    "superscript": "²",
    "circled": "①",
    "arabic-indic": "٣",
    "fullwidth": "１",
    "devanagari": "३",
    "roman-numeral": "Ⅻ",
}


def _id_cases() -> Iterator[Case]:
    for name, digit in WEIRD_DIGITS.items():
        yield Case(
            f"items/id/{name}",
            "items",
            _writer(
                "docs/hostile.yaml", f"- id: SRS-{digit}\n  title: Weird\n  type: functional\n"
            ),
            hostile=("docs/hostile.yaml",),
            lines=True,
            finding=True,
        )
        yield Case(
            f"items/link/{name}",
            "items",
            _writer(
                "docs/hostile.yaml",
                f"- id: SRS-9\n  title: Weird link\n  type: functional\n  parents: [SYS-{digit}]\n",
            ),
            hostile=("docs/hostile.yaml",),
            lines=True,
            finding=True,
        )
        yield Case(
            f"items/filename-id/{name}",
            "items",
            _writer(f"docs/SRS-{digit}.md", "---\ntype: functional\n---\n# Weird file name\n"),
            hostile=(f"docs/SRS-{digit}.md",),
            lines=True,
            finding=True,
        )

    def long_id(where: str) -> Callable[[Sizes], str]:
        def make(s: Sizes) -> str:
            digits = "9" * s.digits
            if where == "id":
                return f"- id: SRS-{digits}\n  title: Long\n  type: functional\n"
            if where == "link":
                return f"- id: SRS-9\n  title: Long link\n  type: functional\n  parents: [SYS-{digits}]\n"
            return f"- id: RISK-9\n  title: Long number\n  severity: {digits}\n"

        return make

    for where in ("id", "link", "number"):
        yield Case(
            f"items/long-digits/{where}",
            "items",
            _sized("docs/hostile.yaml", long_id(where)),
            hostile=("docs/hostile.yaml",),
            lines=True,
            finding=True,
        )


def _document(name: str, text: str | bytes, *, finding: bool = True, lines: bool = True) -> Case:
    return Case(
        f"items/yaml/{name}",
        "items",
        _writer("docs/hostile.yaml", text),
        hostile=("docs/hostile.yaml",),
        lines=lines,
        finding=finding,
        forge=name in _FORGE,
    )


#: Documents whose text ends up in findings and tries to forge or restyle them.
_FORGE = {"control-chars-raw", "escape-title", "rich-markup-title", "id-newline"}


_ITEM = "  - id: SRS-9\n    title: Hostile\n    type: functional\n"

YAML_DOCUMENTS: dict[str, str | bytes] = {
    "tilde-key-beside-items": "kind: software-requirement\n~: 1\nitems:\n" + _ITEM,
    "complex-key-top": "? [a, b]\n: 1\nitems:\n" + _ITEM,
    "complex-key-in-item": "- id: SRS-9\n  title: Hostile\n  type: functional\n  ? [a, b]\n  : 1\n",
    "complex-map-key": "- id: SRS-9\n  title: Hostile\n  type: functional\n  ? {a: 1}\n  : 1\n",
    "int-key": "- id: SRS-9\n  title: Hostile\n  type: functional\n  1: one\n",
    "null-key": "- id: SRS-9\n  title: Hostile\n  type: functional\n  ~: nothing\n",
    "bool-key": "- id: SRS-9\n  title: Hostile\n  type: functional\n  true: yes\n",
    "id-big-int": f"- id: {2**64 + 7}\n  title: Hostile\n",
    "id-huge-int": f"- id: {10**300}\n  title: Hostile\n",
    "id-float": "- id: 1.5e300\n  title: Hostile\n",
    "id-list": "- id: [SRS-9]\n  title: Hostile\n",
    "id-map": "- id: {SRS-9: 1}\n  title: Hostile\n",
    "id-bool": "- id: true\n  title: Hostile\n",
    "id-empty": "- id: ''\n  title: Hostile\n",
    "id-spaces": "- id: 'SRS 9'\n  title: Hostile\n",
    "id-newline": '- id: "SRS-9\\nMT000 fake"\n  title: Hostile\n',
    "kind-list": "- id: SRS-9\n  kind: [software-requirement]\n  title: Hostile\n",
    "kind-map": "- id: SRS-9\n  kind: {a: 1}\n  title: Hostile\n",
    "file-kind-list": "kind: [risk]\nitems:\n" + _ITEM,
    "items-map": "kind: risk\nitems: {a: 1}\n",
    "items-scalar": "kind: risk\nitems: 5\n",
    "items-null": "kind: risk\nitems:\n",
    "top-scalar": "just a string\n",
    "top-int": "42\n",
    "list-of-scalars": "- SRS-9\n- 7\n- [a]\n",
    "multi-document": "- id: SRS-9\n  title: One\n  type: functional\n---\n- id: SRS-10\n  title: Two\n",
    "control-chars-raw": '- id: SRS-9\n  title: "bell\x07 esc\x1b[31m red"\n  type: functional\n',
    "escape-title": '- id: SRS-9\n  title: "\\e[2J\\e]0;pwned\\a cleared"\n  type: functional\n  parents: [SYS-404]\n',
    "rich-markup-title": "- id: SRS-9\n  title: '[bold red]FAKE[/] [link=http://x]x[/link]'\n  type: functional\n  parents: [SYS-404]\n",
    "recursive-alias": "- &a\n  id: SRS-9\n  title: Hostile\n  type: functional\n  parents: *a\n",
    "recursive-list-alias": "- id: SRS-9\n  title: Hostile\n  type: functional\n  parents: &a [SYS-1, *a]\n",
    "redefined-anchor": "- id: &a SRS-9\n  title: &a Hostile\n  type: functional\n  text: *a\n",
    "undefined-alias": "- id: SRS-9\n  title: *nowhere\n",
    "merge-key": "- &base\n  id: SRS-9\n  title: Base\n  type: functional\n- <<: *base\n  id: SRS-10\n",
    "merge-bad": "- id: SRS-9\n  title: Bad merge\n  <<: [1, 2]\n",
    "billion-laughs": (
        "- id: SRS-9\n  title: Laughs\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        "  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        "  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
        "  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n  i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
    ),
    "python-object": (
        "- id: SRS-9\n  title: !!python/object/apply:os.system ['touch ../pwned']\n  type: functional\n"
    ),
    "python-name": "- id: SRS-9\n  title: !!python/name:os.system\n  type: functional\n",
    "python-module": "- id: SRS-9\n  title: !!python/module:os\n  type: functional\n",
    "custom-tag": "- id: SRS-9\n  title: !custom {a: 1}\n  type: functional\n",
    "timestamp-id": "- id: 2024-01-01T00:00:00Z\n  title: Hostile\n",
    "tabs-indent": "- id: SRS-9\n\ttitle: Tabbed\n",
    "bom": "\ufeff- id: SRS-9\n  title: BOM\n  type: functional\n  parents: [SYS-404]\n",
    "double-bom": "\ufeff\ufeff- id: SRS-9\n  title: BOM\n",
    "crlf": "- id: SRS-9\r\n  title: CRLF\r\n  type: functional\r\n  parents: [SYS-404]\r\n",
    "lone-cr": "- id: SRS-9\r  title: CR\r  type: functional\r  parents: [SYS-404]\r",
    "nul-byte": b"- id: SRS-9\n  title: NUL\x00here\n",
    "invalid-utf8": b"- id: SRS-9\n  title: caf\xe9\n",
    "utf16": "- id: SRS-9\n  title: UTF-16\n".encode("utf-16"),
    "lone-surrogate-escape": '- id: SRS-9\n  title: "\\ud800"\n  type: functional\n',
    "unclosed-quote": '- id: SRS-9\n  title: "never closed\n',
    "unclosed-flow": "- id: SRS-9\n  parents: [SYS-1, \n",
    "bad-indent": "- id: SRS-9\n   title: x\n  type: y\n",
    "duplicate-key": "- id: SRS-9\n  title: One\n  title: Two\n  type: functional\n",
    "duplicate-id": "- id: SRS-1\n  title: Twin\n  type: functional\n",
    "only-comments": "# nothing\n# here\n",
    "whitespace-only": "   \n\t\n",
    "directive": "%YAML 1.1\n%TAG ! tag:evil.example,2000:\n---\n- id: SRS-9\n  title: x\n",
    "yaml-1.2-directive-twice": "%YAML 1.2\n%YAML 1.2\n---\n- id: SRS-9\n",
}

#: Documents that are valid (the point is that they do not crash) or whose only problem may
#: honestly be file-wide.
_NO_FINDING = {"merge-key", "multi-document", "whitespace-only", "only-comments"}
_FILE_LEVEL = {"nul-byte", "utf16", "double-bom", "only-comments", "whitespace-only"}


def _yaml_cases() -> Iterator[Case]:
    for name, text in YAML_DOCUMENTS.items():
        yield _document(name, text, finding=name not in _NO_FINDING, lines=name not in _FILE_LEVEL)


def _big_item_cases() -> Iterator[Case]:
    def unknown_fields(s: Sizes) -> str:
        extra = "".join(f"  field_{i}: {i}\n" for i in range(s.unknown_fields))
        return "- id: SRS-9\n  title: Many fields\n  type: functional\n" + extra

    def many_items(s: Sizes) -> str:
        return "".join(
            f"- id: SRS-{i + 10}\n  title: Item {i}\n  type: functional\n  parents: [SYS-1]\n"
            for i in range(s.items)
        )

    def many_dangling(s: Sizes) -> str:
        # Each dangling link looks for the closest known ID among the others: keep the count
        # where that search is still attempted (it gives up past 5,000 candidates).
        return "".join(
            f"- id: SRS-{i + 10}\n  title: Item {i}\n  type: functional\n  parents: [SRS-x{i}]\n"
            for i in range(min(s.items, 4_000) // 8 if s.items < 10_000 else 4_000)
        )

    def huge_line(s: Sizes) -> str:
        return f"- id: SRS-9\n  title: {'x' * s.line}\n  type: functional\n  parents: [SYS-404]\n"

    def huge_key(s: Sizes) -> str:
        return f"- id: SRS-9\n  title: Long key\n  {'k' * s.line}: 1\n"

    def deep_flow(s: Sizes) -> str:
        n = s.yaml_nesting
        return f"- id: SRS-9\n  title: Deep\n  text: {'[' * n}{']' * n}\n"

    def deep_block(s: Sizes) -> str:
        n = min(s.yaml_nesting, 2_000)
        lines = ["- id: SRS-9", "  title: Deep block", "  text:"]
        lines += [" " * (2 * i + 4) + "a:" for i in range(n)]
        return "\n".join(lines) + " 1\n"

    def deep_markdown(s: Sizes) -> str:
        n = s.yaml_nesting
        return f"---\ntitle: Deep\ntype: functional\ntext: {'{a: ' * n}1{'}' * n}\n---\n# Deep\n"

    def many_aliases(s: Sizes) -> str:
        refs = ", ".join("*a" for _ in range(s.unknown_fields))
        return f"- id: SRS-9\n  title: &a Aliased\n  type: functional\n  text: [{refs}]\n"

    def huge_body(s: Sizes) -> str:
        return (
            "---\ntype: functional\nparents: [SYS-404]\n---\n# Big\n"
            + ("word " * (s.line // 5) + "\n") * 3
        )

    def many_headings(s: Sizes) -> str:
        return "---\ntype: functional\n---\n" + "# heading\n" * s.items

    def many_fences(s: Sizes) -> str:
        return "---\n" * s.items

    sized = {
        "yaml/unknown-fields": ("docs/hostile.yaml", unknown_fields, True),
        "yaml/many-items": ("docs/hostile.yaml", many_items, True),
        "yaml/many-dangling-links": ("docs/hostile.yaml", many_dangling, True),
        "yaml/huge-line": ("docs/hostile.yaml", huge_line, True),
        "yaml/huge-key": ("docs/hostile.yaml", huge_key, True),
        "yaml/deep-flow": ("docs/hostile.yaml", deep_flow, True),
        "yaml/deep-block": ("docs/hostile.yaml", deep_block, False),
        "yaml/many-aliases": ("docs/hostile.yaml", many_aliases, False),
        "markdown/deep-front-matter": ("docs/SRS-9.md", deep_markdown, True),
        "markdown/huge-body": ("docs/SRS-9.md", huge_body, True),
        "markdown/many-headings": ("docs/SRS-9.md", many_headings, False),
        "markdown/many-fences": ("docs/SRS-9.md", many_fences, True),
    }
    for name, (rel, make, finding) in sized.items():
        yield Case(
            f"items/{name}",
            "items",
            _sized(rel, make),
            hostile=(rel,),
            lines=True,
            finding=finding,
        )


MARKDOWN_DOCUMENTS: dict[str, str | bytes] = {
    "unclosed": "---\ntype: functional\n# never closed\n",
    "only-fence": "---\n",
    "empty-front-matter": "---\n---\n# Empty\n",
    "list-front-matter": "---\n- a\n- b\n---\n# List\n",
    "scalar-front-matter": "---\njust text\n---\n",
    "dots-closer": "---\ntype: functional\nparents: [SYS-404]\n...\n# Dots\n",
    "fence-with-spaces": "---   \ntype: functional\nparents: [SYS-404]\n---\t\n# Spaces\n",
    "bom": "\ufeff---\ntype: functional\nparents: [SYS-404]\n---\n# BOM\n",
    "crlf": "---\r\ntype: functional\r\nparents: [SYS-404]\r\n---\r\n# CRLF\r\n",
    "nul": b"---\ntype: functional\n---\n# NUL \x00\n",
    "invalid-utf8": b"---\ntype: functional\n---\n# caf\xe9\n",
    "script-title": "---\ntype: functional\nparents: [SYS-404]\n---\n# <script>window.__pwned=1</script>\n",
    "escape-heading": "---\ntype: functional\nparents: [SYS-404]\n---\n# \x1b[2J\x1b]0;pwned\x07 title\n",
    "id-mismatch": "---\nid: SRS-10\ntype: functional\n---\n# Other ID\n",
    "python-tag": "---\ntitle: !!python/object/apply:os.system ['touch ../pwned']\n---\n# x\n",
}


def _markdown_cases() -> Iterator[Case]:
    for name, text in MARKDOWN_DOCUMENTS.items():
        yield Case(
            f"items/markdown/{name}",
            "items",
            _writer("docs/SRS-9.md", text),
            hostile=("docs/SRS-9.md",),
            lines=name not in ("nul",),
            finding=name not in ("empty-front-matter", "id-mismatch"),
            forge=name in ("escape-heading", "script-title"),
        )


# --------------------------------------------------------------------------- configurations

CONFIG_BODY = (
    '[project]\nname = "hostile"\nclass = "B"\n\n[paths]\nitems = ["docs"]\n'
    'sources = ["src/**"]\ntests = ["tests/**"]\nresults = ["results/*.xml"]\n'
)

CONFIGS: dict[str, str | bytes] = {
    "empty": "",
    "bom": "\ufeff" + CONFIG_BODY,
    "crlf": CONFIG_BODY.replace("\n", "\r\n"),
    "nul": CONFIG_BODY.encode() + b"\x00",
    "invalid-utf8": CONFIG_BODY.encode() + b"# caf\xe9\n",
    "not-toml": "this is not toml at all = = =\n",
    "truncated": CONFIG_BODY[:40],
    "class-list": CONFIG_BODY.replace('class = "B"', "class = []"),
    "class-int": CONFIG_BODY.replace('class = "B"', "class = 3"),
    "class-unknown": CONFIG_BODY.replace('class = "B"', 'class = "D"'),
    "class-missing": CONFIG_BODY.replace('class = "B"\n', ""),
    "project-scalar": 'project = 1\n[paths]\nitems = ["docs"]\n',
    "paths-scalar": '[project]\nclass = "B"\npaths = "docs"\n',
    "items-string": CONFIG_BODY.replace('items = ["docs"]', 'items = "docs"'),
    "items-ints": CONFIG_BODY.replace('items = ["docs"]', "items = [1, 2]"),
    "items-nested": CONFIG_BODY.replace('items = ["docs"]', 'items = [["docs"]]'),
    "items-empty-string": CONFIG_BODY.replace('items = ["docs"]', 'items = [""]'),
    "items-dotdot": CONFIG_BODY.replace('items = ["docs"]', 'items = ["docs", "../outside"]'),
    "exclude-bang": CONFIG_BODY + 'exclude = ["!src/**", "!"]\n',
    "exclude-weird": CONFIG_BODY + 'exclude = ["[", "**/**/**/**", "\\\\", "\\u0000"]\n',
    "sources-bracket": CONFIG_BODY.replace(
        'sources = ["src/**"]', 'sources = ["src/[", "src/{a,b}"]'
    ),
    "unknown-everything": CONFIG_BODY
    + "[nonsense]\na = 1\n[project.more]\nb = 2\n[paths.extra]\nc = []\n[rules.deep]\nd = 1\n",
    "unknown-top": 'hello = "world"\n' + CONFIG_BODY,
    "rules-int": CONFIG_BODY + "[rules]\nMT001 = 1\n",
    "rules-unknown": CONFIG_BODY + '[rules]\nMT999 = "error"\nnot-a-rule = "warning"\n',
    "rules-bad-severity": CONFIG_BODY + '[rules]\nMT010 = "fatal"\n',
    "kinds-bad-prefix": CONFIG_BODY + '[kinds.software-requirement]\nprefix = "S R S"\n',
    "kinds-bad-pattern": CONFIG_BODY + '[kinds.software-requirement]\npattern = "("\n',
    "kinds-redos-pattern": CONFIG_BODY
    + '[kinds.software-requirement]\nprefix = "SRS"\npattern = "(a|aa)+$"\n',
    "kinds-scalar": CONFIG_BODY + "kinds = 1\n",
    "kinds-field-scalar": CONFIG_BODY + "[kinds.software-requirement]\nfields = 1\n",
    "kinds-new-empty": CONFIG_BODY + "[kinds.x]\n",
    "risk-matrix-empty": CONFIG_BODY + "[risk]\nmatrix = []\n",
    "risk-matrix-ragged": CONFIG_BODY + '[risk]\nmatrix = [["acceptable"], []]\n',
    "risk-scales-ints": CONFIG_BODY + "[risk]\nseverity = [1, 2]\nprobability = [{}]\n",
    "limits-negative": CONFIG_BODY + "[limits]\nmax_file_bytes = -1\n",
    "limits-huge": CONFIG_BODY + f"[limits]\nmax_file_bytes = {2**63 - 1}\n",
    "limits-string": CONFIG_BODY + '[limits]\nmax_file_bytes = "big"\n',
    "duplicate-key": CONFIG_BODY + '[project]\nname = "again"\n',
    "dotted-deep": "a" + ".a" * 999 + " = 1\n" + CONFIG_BODY,
    "nested-arrays": CONFIG_BODY.replace('items = ["docs"]', "items = " + "[" * 1000 + "]" * 1000),
    "nested-inline-tables": "x = " + "{a = " * 1000 + "1" + "}" * 1000 + "\n" + CONFIG_BODY,
    "huge-string": CONFIG_BODY.replace('name = "hostile"', 'name = "' + "n" * 1_000_000 + '"'),
    "name-escape": CONFIG_BODY.replace(
        'name = "hostile"', 'name = "\\u001b[2J\\u001b]0;pwned\\u0007"'
    ),
    "name-markup": CONFIG_BODY.replace('name = "hostile"', 'name = "[bold red]FAKE[/] OK"'),
    "name-newline": CONFIG_BODY.replace(
        'name = "hostile"', 'name = "x\\nmedtrace.toml:1: error MT000 fake"'
    ),
    "date-values": CONFIG_BODY.replace('name = "hostile"', "name = 1979-05-27T07:32:00Z"),
}

PYPROJECTS: dict[str, str] = {
    "tool-string": 'tool = "x"\n',
    "tool-list": "tool = [1]\n",
    "tool-medtrace-int": "[tool]\nmedtrace = 1\n",
    "tool-medtrace-list": "[tool]\nmedtrace = [1, 2]\n",
    "tool-medtrace-empty": "[tool.medtrace]\n",
    "tool-medtrace-valid-but-bom": "\ufeff[tool.medtrace]\n"
    + CONFIG_BODY.replace("[", "[tool.medtrace."),
    "tool-medtrace-unknown": "[tool.medtrace]\nwhat = 1\n[tool.medtrace.project]\nclass = 'B'\n",
    "project-table-broken": "[project\nname = 'x'\n",
    "deep-tool": "[tool" + ".t" * 999 + "]\nx = 1\n",
}


def _config_cases() -> Iterator[Case]:
    for name, text in CONFIGS.items():
        yield Case(
            f"config/medtrace.toml/{name}",
            "config",
            _writer("medtrace.toml", text),
            hostile=("medtrace.toml",),
            lines=True,
            survives=False,
            forge=name.startswith("name-"),
        )
    for name, text in PYPROJECTS.items():

        def build(ws: Workspace, text: str = text) -> None:
            ws.remove("medtrace.toml")
            ws.write("pyproject.toml", text)

        yield Case(
            f"config/pyproject.toml/{name}",
            "config",
            build,
            hostile=("pyproject.toml",),
            lines=True,
            survives=False,
        )

    def both(ws: Workspace) -> None:
        ws.write("pyproject.toml", "[tool.medtrace]\nproject = 1\n")

    yield Case("config/both-files", "config", both, hostile=("pyproject.toml",), survives=False)

    def config_fifo(ws: Workspace) -> None:
        ws.remove("medtrace.toml")
        ws.fifo("medtrace.toml")

    def config_dir(ws: Workspace) -> None:
        ws.remove("medtrace.toml")
        ws.mkdir("medtrace.toml")

    def config_secret(ws: Workspace) -> None:
        ws.remove("medtrace.toml")
        ws.symlink("medtrace.toml", ws.outside / "secret.txt")

    def config_zero(ws: Workspace) -> None:
        ws.remove("medtrace.toml")
        ws.symlink("medtrace.toml", "/dev/zero")

    def config_self(ws: Workspace) -> None:
        ws.remove("medtrace.toml")
        ws.symlink("medtrace.toml", "medtrace.toml")

    for name, build in {
        "fifo": config_fifo,
        "directory": config_dir,
        "symlink-to-secret": config_secret,
        "symlink-to-dev-zero": config_zero,
        "self-symlink": config_self,
    }.items():
        yield Case(f"config/object/{name}", "config", build, survives=False)


# --------------------------------------------------------------------------- JUnit XML

_CASE = '<testcase classname="tests.test_app" name="test_other" time="0.1"/>'


def _suite(inner: str, attrs: str = 'name="s" tests="1"') -> str:
    return f'<?xml version="1.0" encoding="utf-8"?>\n<testsuite {attrs}>\n{inner}\n</testsuite>\n'


def _junit_documents(secret: str) -> dict[str, str | bytes]:
    """JUnit documents; ``secret`` is the path of the secret file (for entity attacks)."""
    laughs = '<!ENTITY a "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    return {
        "xxe-file": (
            f'<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY x SYSTEM "file://{secret}">]>\n'
            '<testsuite name="s" tests="1"><testcase classname="c" name="&x;">'
            '<failure message="&x;">&x;</failure></testcase></testsuite>\n'
        ),
        "xxe-parameter": (
            f'<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>\n'
            '<testsuite name="s" tests="1"><testcase classname="c" name="n"/></testsuite>\n'
        ),
        "xxe-network": (
            '<?xml version="1.0"?>\n<!DOCTYPE t SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
            '<testsuite name="s" tests="1"><testcase classname="c" name="n"/></testsuite>\n'
        ),
        "xinclude": (
            '<?xml version="1.0"?>\n<testsuite xmlns:xi="http://www.w3.org/2001/XInclude" '
            f'name="s" tests="1"><testcase classname="c" name="n"><failure>'
            f'<xi:include href="{secret}" parse="text"/></failure></testcase></testsuite>\n'
        ),
        "billion-laughs": (
            f'<?xml version="1.0"?>\n<!DOCTYPE t [{laughs}]>\n'
            '<testsuite name="s" tests="1"><testcase classname="c" name="&j;"/></testsuite>\n'
        ),
        "quadratic-blowup": (
            '<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY a "' + "x" * 50_000 + '">]>\n'
            '<testsuite name="s" tests="1"><testcase classname="c" name="n"><failure>'
            + "&a;" * 20_000
            + "</failure></testcase></testsuite>\n"
        ),
        "wrong-root-html": "<html><body><testcase name='x'/></body></html>\n",
        "wrong-root-other": '<?xml version="1.0"?>\n<report><item/></report>\n',
        "root-text-only": '<?xml version="1.0"?>\ntext\n',
        "empty": "",
        "whitespace": "  \n\n",
        "truncated": _suite(_CASE)[:60],
        "truncated-in-attribute": '<?xml version="1.0"?>\n<testsuite name="s" tests="1"><testcase name="',
        "two-roots": _suite(_CASE) + _suite(_CASE),
        "latin1-undeclared": _suite('<testcase classname="c" name="caf\xe9"/>').encode("latin-1"),
        "latin1-declared": _suite('<testcase classname="c" name="caf\xe9"/>')
        .replace("utf-8", "iso-8859-1")
        .encode("latin-1"),
        "utf16-bom": _suite(_CASE).replace("utf-8", "utf-16").encode("utf-16"),
        "bogus-encoding": _suite(_CASE).replace("utf-8", "x-bogus-42").encode(),
        "nul": _suite(_CASE).encode() + b"\x00\x00",
        "control-chars": _suite('<testcase classname="c" name="a\x01b\x1b[2J"/>'),
        "escape-in-message": _suite(
            '<testcase classname="tests.test_app" name="test_clamp">'
            '<failure message="&#x1b;[2J&#x1b;]0;pwned&#x7;">&#x1b;[31m</failure></testcase>'
        ),
        "forged-name": _suite(
            '<testcase classname="tests.test_app" name="test_clamp&#10;results/pytest.xml:1: error MT000 fake">'
            '<failure message="x&#10;::error file=x::forged"/></testcase>'
        ),
        "cdata": _suite(
            '<testcase classname="c" name="n"><failure><![CDATA[ ]]]]><![CDATA[> ]]></failure></testcase>'
        ),
        "processing-instruction": '<?xml version="1.0"?>\n<?evil run="x"?>\n' + _suite(_CASE)[22:],
        "numbers": _suite(
            '<testcase classname="c" name="n" time="nan"/><testcase classname="c" name="m" time="1e400"/>'
            '<testcase classname="c" name="o" time="-1"/><testcase classname="c" name="p" time="1,5"/>',
            'name="s" tests="99999999999999999999999999" failures="-3" time="inf"',
        ),
        "verifies-weird": _suite(
            '<testcase classname="c" name="n"><properties>'
            '<property name="verifies" value="SRS-², SRS-①, , ,SRS-1"/>'
            '<property name="verifies"/></properties></testcase>'
        ),
        "file-outside": _suite(
            '<testcase classname="c" name="n" file="../outside/secret.py" line="-5"/>'
            '<testcase classname="c" name="m" file="/etc/passwd" line="99999999999999999999"/>'
        ),
        "nested-suites": '<?xml version="1.0"?>\n'
        + "<testsuite name='s'>" * 200
        + _CASE
        + "</testsuite>" * 200
        + "\n",
        "namespaced": '<?xml version="1.0"?>\n<j:testsuite xmlns:j="urn:x"><j:testcase name="n"/></j:testsuite>\n',
        "many-failures": _suite(
            '<testcase classname="c" name="n">' + "<failure message='f'/>" * 10_000 + "</testcase>"
        ),
        "duplicate-cases": _suite(
            '<testcase classname="tests.test_app" name="test_clamp"/>'
            '<testcase classname="tests.test_app" name="test_clamp"><failure/></testcase>'
        ),
    }


def _junit_cases() -> Iterator[Case]:
    for name in _junit_documents("/x"):

        def build(ws: Workspace, name: str = name) -> None:
            ws.write("results/hostile.xml", _junit_documents(str(ws.outside / "secret.txt"))[name])

        yield Case(
            f"junit/{name}",
            "junit",
            build,
            hostile=("results/hostile.xml",),
            lines=name not in ("empty", "whitespace"),
            forge=name in ("forged-name", "escape-in-message", "control-chars"),
        )

    def many_cases(s: Sizes) -> str:
        rows = "".join(
            f'<testcase classname="tests.test_many" name="test_{i}" time="0.001"/>'
            for i in range(s.testcases)
        )
        return _suite(rows)

    def huge_attribute(s: Sizes) -> str:
        return _suite(f'<testcase classname="c" name="{"n" * s.attribute}"/>')

    def huge_text(s: Sizes) -> str:
        return _suite(
            f'<testcase classname="c" name="n"><failure>{"t" * s.attribute}</failure></testcase>'
        )

    def deep(s: Sizes) -> str:
        n = s.yaml_nesting * 10
        return (
            '<?xml version="1.0"?>\n<testsuite name="s">'
            + "<a>" * n
            + "</a>" * n
            + "</testsuite>\n"
        )

    def many_attributes(s: Sizes) -> str:
        attrs = " ".join(f'a{i}="{i}"' for i in range(s.unknown_fields))
        return _suite(f'<testcase classname="c" name="n" {attrs}/>')

    for name, make in {
        "many-testcases": many_cases,
        "huge-attribute": huge_attribute,
        "huge-text": huge_text,
        "deep-elements": deep,
        "many-attributes": many_attributes,
    }.items():
        yield Case(
            f"junit/{name}",
            "junit",
            _sized("results/hostile.xml", make),
            hostile=("results/hostile.xml",),
            lines=True,
        )


# --------------------------------------------------------------------------- source files

#: language → (suffix, line comment, block comment open/close, a function with its name).
LANGUAGES: dict[str, tuple[str, str, tuple[str, str], str]] = {
    "python": (".py", "#", ('"""', '"""'), "def target():\n    pass\n"),
    "c": (".c", "//", ("/*", "*/"), "int target(void) { return 0; }\n"),
    "cpp": (".cpp", "//", ("/*", "*/"), "int target() { return 0; }\n"),
    "java": (".java", "//", ("/*", "*/"), "class T { void target() {} }\n"),
    "kotlin": (".kt", "//", ("/*", "*/"), "fun target() {}\n"),
    "csharp": (".cs", "//", ("/*", "*/"), "class T { void Target() {} }\n"),
    "go": (".go", "//", ("/*", "*/"), "package p\nfunc target() {}\n"),
    "rust": (".rs", "//", ("/*", "*/"), "fn target() {}\n"),
    "swift": (".swift", "//", ("/*", "*/"), "func target() {}\n"),
    "javascript": (".js", "//", ("/*", "*/"), "function target() {}\n"),
    "typescript": (".ts", "//", ("/*", "*/"), "function target(): void {}\n"),
    "tsx": (".tsx", "//", ("/*", "*/"), "function Target() { return <div/>; }\n"),
    "qml": (".qml", "//", ("/*", "*/"), "Item {\n    function target() {}\n}\n"),
}


def _nest(language: str, depth: int) -> str:
    if language == "python":
        depth = min(depth, 400)
        return "".join(" " * i + "if x:\n" for i in range(depth)) + " " * depth + "pass\n"
    return (
        "void deep() " + "{" * depth + "}" * depth + "\n"
        if language in ("c", "cpp")
        else ("function deep() " + "{" * depth + "}" * depth + "\n")
    )


def _source_payloads(language: str) -> dict[str, tuple[Callable[[Sizes], str | bytes], bool]]:
    """name → (make the file, findings must carry a line)."""
    _, line, (open_, _close), func = LANGUAGES[language]

    def tag(ids: str = "SRS-1") -> str:
        return f"{line} @implements {ids}\n"

    return {
        "unterminated-comments": (
            lambda s: (open_ + " @implements SRS-1\n") * s.comment_lines + func,
            True,
        ),
        "many-tag-comments": (lambda s: tag() * s.tag_comments + func, True),
        "deep-nesting": (lambda s: tag() + _nest(language, s.nesting) + func, True),
        "nul-bytes": (lambda s: (tag() + func).encode() + b"\x00\x00" + tag().encode(), False),
        "invalid-utf8": (lambda s: tag().encode() + b"\xff\xfe caf\xe9\n" + func.encode(), False),
        "tag-in-string": (
            lambda s: f"x = \"@implements SRS-404\"\ny = '@verifies SRS-405'\n{func}",
            True,
        ),
        "unicode-digit-tag": (lambda s: tag("SRS-²") + tag("SRS-①") + func, True),
        "long-id-tag": (lambda s: tag("SRS-" + "9" * s.digits) + func, True),
        "many-ids-one-tag": (
            lambda s: tag(", ".join(f"SRS-{i}" for i in range(2, s.tag_comments))) + func,
            True,
        ),
        "empty-tag": (lambda s: f"{line} @implements\n{line} @verifies ,,,\n" + func, True),
        "huge-line": (lambda s: tag() + line + " " + "x" * s.line + "\n" + func, True),
        "garbage-braces": (lambda s: tag() + "}}}})))]]]{{{{((([[[\n" * 50 + func, True),
        "bom-crlf": (lambda s: ("\ufeff" + tag() + func).replace("\n", "\r\n"), True),
        "lone-cr": (lambda s: (tag() + func).replace("\n", "\r"), True),
        "escape-in-tag": (lambda s: f"{line} @implements SRS-\x1b[2J\x1b]0;x\x07\n" + func, True),
    }


def _source_cases() -> Iterator[Case]:
    for language, (suffix, *_) in LANGUAGES.items():
        for name, (make, lines) in _source_payloads(language).items():
            rel = f"src/hostile{suffix}"
            forbid = (r"SRS-40[45]",) if name == "tag-in-string" else ()
            yield Case(
                f"source/{language}/{name}",
                "source",
                _sized(rel, make),
                hostile=(rel,),
                lines=lines,
                forbid=forbid,
            )
        test_rel = (
            f"tests/test_hostile{suffix}" if language == "python" else f"tests/hostile.test{suffix}"
        )
        for name in ("many-tag-comments", "deep-nesting", "unterminated-comments"):
            make = _source_payloads(language)[name][0]
            yield Case(
                f"source/{language}/test-file/{name}",
                "source",
                _sized(test_rel, make),
                hostile=(test_rel,),
                lines=True,
            )


# --------------------------------------------------------------------------- file-system objects


def _fs_cases() -> Iterator[Case]:
    places = {
        "docs": "docs/hostile.yaml",
        "src": "src/hostile.py",
        "tests": "tests/test_hostile.py",
        "results": "results/hostile.xml",
    }
    secret_for = {
        "docs": "secret.yaml",
        "src": "secret.py",
        "tests": "secret.py",
        "results": "secret.xml",
    }
    for where, rel in places.items():
        yield Case(f"fs/{where}/fifo", "fs", lambda ws, rel=rel: ws.fifo(rel))
        yield Case(f"fs/{where}/socket", "fs", lambda ws, rel=rel: ws.unix_socket(rel))
        yield Case(f"fs/{where}/dev-zero", "fs", lambda ws, rel=rel: ws.symlink(rel, "/dev/zero"))
        yield Case(
            f"fs/{where}/dev-urandom", "fs", lambda ws, rel=rel: ws.symlink(rel, "/dev/urandom")
        )
        yield Case(
            f"fs/{where}/self-symlink",
            "fs",
            lambda ws, rel=rel: ws.symlink(rel, rel.split("/")[-1]),
        )
        yield Case(
            f"fs/{where}/dangling", "fs", lambda ws, rel=rel: ws.symlink(rel, "nowhere/at/all")
        )
        yield Case(
            f"fs/{where}/proc-environ",
            "fs",
            lambda ws, rel=rel: ws.symlink(rel, "/proc/self/environ"),
        )
        yield Case(
            f"fs/{where}/symlink-to-secret",
            "fs",
            lambda ws, rel=rel, name=secret_for[where]: ws.symlink(rel, ws.outside / name),
        )
        yield Case(
            f"fs/{where}/relative-symlink-to-secret",
            "fs",
            lambda ws, rel=rel, name=secret_for[where]: ws.symlink(
                rel, "../" * rel.count("/") + "../outside/" + name
            ),
        )
        yield Case(
            f"fs/{where}/folder-symlink-to-secret",
            "fs",
            lambda ws, where=where: ws.symlink(f"{where}/leak", ws.outside / "folder"),
        )
        yield Case(f"fs/{where}/dag", "fs", lambda ws, where=where: _dag(ws, where))
        yield Case(
            f"fs/{where}/loop", "fs", lambda ws, where=where: ws.symlink(f"{where}/up", "..")
        )
        yield Case(f"fs/{where}/deep-folders", "fs", lambda ws, where=where: _deep(ws, where))
        yield Case(
            f"fs/{where}/unreadable-folder",
            "fs",
            lambda ws, where=where: _unreadable(ws, where),
        )
        yield Case(
            f"fs/{where}/folder-named-like-file",
            "fs",
            lambda ws, rel=rel: ws.mkdir(rel),
        )
        yield Case(f"fs/{where}/sparse-huge", "fs", lambda ws, rel=rel: _sparse(ws, rel))
    yield Case(
        "fs/root/secret-in-project-root",
        "fs",
        lambda ws: ws.symlink("docs.yaml", ws.outside / "secret.yaml"),
    )
    yield Case("fs/docs/folder-is-symlink-out", "fs", _docs_out, survives=False)


def _docs_out(ws: Workspace) -> None:
    """The items folder itself is a link out of the project."""
    import shutil

    shutil.rmtree(ws.root / "docs")
    ws.symlink("docs", ws.outside / "folder")


def _dag(ws: Workspace, where: str) -> None:
    """Layers of folders, each holding two links to the next layer: 2**layers paths."""
    base = ws.mkdir(f"{where}/dag")
    layers = ws.sizes.dag_layers
    for i in range(layers):
        (base / f"l{i}").mkdir()
    (base / f"l{layers - 1}" / "leaf.txt").write_text("leaf\n")
    for i in range(layers - 1):
        (base / f"l{i}" / "a").symlink_to(f"../l{i + 1}")
        (base / f"l{i}" / "b").symlink_to(f"../l{i + 1}")


def _deep(ws: Workspace, where: str) -> None:
    """Folders nested ``folder_depth`` levels (made one by one: ``os.makedirs`` recurses)."""
    folder = ws.mkdir(where)
    for _ in range(ws.sizes.folder_depth):
        folder = folder / "d"
        folder.mkdir()
    suffix = {"docs": "SRS-9.md", "src": "deep.py", "tests": "test_deep.py", "results": "deep.xml"}
    (folder / suffix[where]).write_text("---\ntype: functional\n---\n# Deep\n")


def _unreadable(ws: Workspace, where: str) -> None:
    names = {"docs": "SRS-9.md", "src": "x.py", "tests": "test_x.py", "results": "x.xml"}
    ws.write(f"{where}/locked/{names[where]}", "---\ntype: functional\n---\n# Locked\n")
    (ws.root / where / "locked").chmod(0)


def _sparse(ws: Workspace, rel: str) -> None:
    path = ws.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        fh.truncate(3 * 2**30)


# --------------------------------------------------------------------------- file names

FORGED = "x.md:12: error MT000 fake"
NAMES: dict[str, str | bytes] = {
    "newline-forged": f"a\n{FORGED}\nb",
    "carriage-return": f"a\r{FORGED}\r",
    "escape-clear": "\x1b[2J\x1b[H",
    "escape-title": "\x1b]0;pwned\x07",
    "github-command": "\n::error file=x.md,line=1::forged\n",
    "rich-markup": "[bold red]FAKE[/]",
    "percent-encoded": "a%0A::error::forged%0D",
    "invalid-utf8": b"caf\xe9-\xff\xfe",
    "dash-start": "--help",
    "long": "n" * 200,
    "spaces": "  spaced  name  ",
    "rtl-override": "abc\u202egnp.exe",
}


def _name_cases() -> Iterator[Case]:
    bad_item = b"- id: SRS-9\n  title: Named\n  tyype: functional\n"
    bad_source = b"# @implements SRS-404\ndef f():\n    pass\n"
    for name, stem in NAMES.items():
        raw = stem if isinstance(stem, bytes) else stem.encode("utf-8", "surrogateescape")
        raw = raw.replace(b"/", b"_")  # one file name, not a folder and a file
        targets = {
            "docs": (b"docs/" + raw + b".yaml", bad_item, "tyype"),
            "src": (b"src/" + raw + b".py", bad_source, "SRS-404"),
            "results": (b"results/" + raw + b".xml", b"<testsuite><oops", "MT120"),
        }
        for where, (rel, content, missed) in targets.items():
            yield Case(
                f"names/{where}/{name}",
                "names",
                lambda ws, rel=rel, content=content: ws.write(rel, content),
                forge=True,
                expect=(missed,),
            )
        folder = raw
        yield Case(
            f"names/folder/{name}",
            "names",
            lambda ws, folder=folder: ws.write(b"docs/" + folder + b"/x.yaml", bad_item),
            forge=True,
            expect=("tyype",),
        )


# --------------------------------------------------------------------------- all


def cases() -> list[Case]:
    """Every case, in a stable order; names are unique."""
    made = [
        *_field_cases(),
        *_markdown_field_cases(),
        *_id_cases(),
        *_yaml_cases(),
        *_big_item_cases(),
        *_markdown_cases(),
        *_config_cases(),
        *_junit_cases(),
        *_source_cases(),
        *_fs_cases(),
        *_name_cases(),
    ]
    names = [c.name for c in made]
    assert len(names) == len(set(names)), "case names are unique"
    return made


def sizes(full: bool) -> Sizes:
    return FULL if full else SHORT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write one sub-folder per case into")
    parser.add_argument("--full", action="store_true", help="full sizes (slow, large)")
    parser.add_argument("--only", default="", help="only cases whose name contains this")
    args = parser.parse_args(argv)
    chosen = [c for c in cases() if args.only in c.name]
    for case in chosen:
        ws = Workspace(args.out / case.name.replace("/", "__"), sizes(args.full))
        ws.create()
        case.build(ws)
    print(f"wrote {len(chosen)} cases under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
