"""Generate a synthetic source tree to time the tag scanner.

The tree mixes Python (40 %), C (30 %) and TypeScript (30 %) files of realistic shapes: modules
with imports, constants, functions, classes and methods, and their tests (pytest, Unity-style C
tests, jest ``describe``/``it``). About one file in four is a test file. Tags are written the ways
people write them: a comment line or a doc comment above a function, a docstring, a comment
inside a body, a file header; a few strings hold tag-like text that must not be found, and a
``node_modules`` folder ignored by ``.gitignore`` holds files that must not be scanned.

The output is a pure function of the options: the same seed gives the same bytes.
``manifest.json`` at the root records the globs to scan and what a correct scan finds (tags and
tests per language).

Usage: ``python bench/scan/generate_tree.py OUT --files 20000 --seed 1``
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: Share of each language, and of test files among each language's files.
MIX = (("python", 0.4), ("c", 0.3), ("typescript", 0.3))
TEST_SHARE = 0.25
FILES_PER_FOLDER = 40
SOURCES = ["app/src/**/*.py", "fw/src/**/*.c", "fw/src/**/*.h", "web/src/**/*.ts"]
TESTS = ["app/tests/**/*.py", "fw/tests/**/*.c", "web/test/**/*.ts"]
EXCLUDE = ["**/generated/**"]
WORDS = [
    "bolus",
    "dose",
    "rate",
    "limit",
    "pump",
    "alarm",
    "basal",
    "carb",
    "ratio",
    "glucose",
    "target",
    "sensor",
    "reading",
    "battery",
    "occlusion",
    "reservoir",
    "delivery",
    "schedule",
    "profile",
    "history",
    "event",
    "log",
    "audit",
    "user",
    "session",
    "token",
    "config",
    "setting",
    "unit",
    "clamp",
    "scale",
    "check",
    "verify",
    "parse",
    "format",
    "update",
    "compute",
    "validate",
]


@dataclass
class Counts:
    """What a correct scan must find."""

    files: int = 0
    lines: int = 0
    tags: int = 0
    tests: int = 0
    decoys: int = 0
    by_language: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, language: str, key: str, n: int = 1) -> None:
        per = self.by_language.setdefault(language, {"files": 0, "tags": 0, "tests": 0})
        per[key] = per.get(key, 0) + n


@dataclass
class Writer:
    """Lines of one file, with the tags and tests written into it."""

    rng: random.Random
    lines: list[str] = field(default_factory=list)
    tags: int = 0
    tests: int = 0
    decoys: int = 0

    def ids(self) -> str:
        """One or two requirement IDs, as a tag lists them."""
        first = f"SRS-{self.rng.randint(1, 5000)}"
        if self.rng.random() < 0.2:
            return f"{first}, RISK-{self.rng.randint(1, 400)}"
        return first

    def tag(self, verb: str = "implements") -> str:
        self.tags += 1
        return f"@{verb} {self.ids()}"

    def word(self) -> str:
        return self.rng.choice(WORDS)

    def name(self, sep: str = "_") -> str:
        return sep.join(self.word() for _ in range(self.rng.randint(2, 3)))

    def camel(self) -> str:
        first, *rest = self.name().split("_")
        return first + "".join(part.title() for part in rest)

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


# --- Python -------------------------------------------------------------------------------------


def py_body(w: Writer, indent: str) -> None:
    var = w.word()
    w.add(f"{indent}{var} = {w.rng.randint(0, 99)}")
    for _ in range(w.rng.randint(1, 3)):
        shape = w.rng.randrange(4)
        if shape == 0:
            w.add(f"{indent}for item in range({var}):", f"{indent}    {var} += item * 2")
        elif shape == 1:
            w.add(
                f"{indent}if {var} > {w.rng.randint(1, 50)}:",
                f'{indent}    raise ValueError(f"{w.word()} too large: {{{var}}}")',
            )
        elif shape == 2:
            w.add(f"{indent}{w.word()}_map = {{'{w.word()}': {var}, \"{w.word()}\": None}}")
        else:
            w.add(f'{indent}LOG.debug("{w.name(" ")} %s", {var})')
    w.add(f"{indent}return {var}")


def py_tag_above(w: Writer, indent: str, verb: str = "implements") -> None:
    w.add(f"{indent}# {w.tag(verb)}")


def py_function(w: Writer, indent: str = "") -> None:
    tagged = w.rng.random() < 0.84
    style = w.rng.randrange(3)
    if tagged and style == 0:
        py_tag_above(w, indent)
    w.add(f"{indent}def {w.name()}(value: int, factor: float = 1.0) -> int:")
    if tagged and style == 1:
        w.add(
            f'{indent}    """{w.name(" ").capitalize()}.',
            "",
            f"{indent}    {w.tag()}",
            f'{indent}    """',
        )
    else:
        w.add(f'{indent}    """{w.name(" ").capitalize()}."""')
    if tagged and style == 2:
        w.add(f"{indent}    # {w.tag()}")
    py_body(w, indent + "    ")
    w.add("", "")


def py_class(w: Writer) -> None:
    if w.rng.random() < 0.5:
        py_tag_above(w, "")
    w.add(f"class {w.camel().title()}:", f'    """{w.name(" ").capitalize()}."""', "")
    w.add("    def __init__(self, value: int) -> None:", "        self.value = value", "")
    for _ in range(w.rng.randint(1, 3)):
        if w.rng.random() < 0.3:
            w.add("    @property")
        py_function(w, "    ")
    w.lines.pop()


def py_decoy(w: Writer) -> None:
    w.decoys += 1
    w.add(f'MESSAGE = "write @implements SRS-{w.rng.randint(1, 99)} above the function"', "")


def py_source(w: Writer, target: int) -> None:
    if w.rng.random() < 0.15:
        w.add('"""Module header.', "", w.tag(), '"""')
    else:
        w.add(f'"""{w.name(" ").capitalize()} module."""')
    w.add("", "from __future__ import annotations", "", "import logging", "import math", "")
    w.add("LOG = logging.getLogger(__name__)", f"LIMIT = {w.rng.randint(1, 100)}", "")
    if w.rng.random() < 0.1:
        py_decoy(w)
    w.add("")
    while len(w.lines) < target:
        py_class(w) if w.rng.random() < 0.3 else py_function(w)


def py_test(w: Writer, indent: str, owner: str) -> None:
    w.tests += 1
    style = w.rng.randrange(3)
    if style == 0:
        py_tag_above(w, indent, "verifies")
    args = "self" if owner else ""
    w.add(f"{indent}def test_{w.name()}_{w.tests}({args}) -> None:")
    if style == 1:
        w.add(f'{indent}    """{w.tag("verifies")}"""')
    elif style == 2:
        w.add(f"{indent}    # {w.tag('verifies')}")
    w.add(f"{indent}    assert {w.word()}({w.rng.randint(0, 9)}) == {w.rng.randint(0, 9)}", "", "")


def py_test_file(w: Writer, target: int) -> None:
    w.add('"""Tests."""', "", "import pytest", "", f"from app.{w.word()} import {w.word()}", "", "")
    while len(w.lines) < target:
        if w.rng.random() < 0.3:
            w.add(f"class Test{w.camel().title()}:")
            for _ in range(w.rng.randint(2, 4)):
                py_test(w, "    ", "class")
            w.lines.pop()
        else:
            py_test(w, "", "")


# --- C ------------------------------------------------------------------------------------------


def c_body(w: Writer) -> None:
    var = w.word()
    w.add(f"    int {var} = {w.rng.randint(0, 99)};")
    for _ in range(w.rng.randint(1, 3)):
        shape = w.rng.randrange(3)
        if shape == 0:
            w.add(f"    for (int i = 0; i < {var}; i++) {{", f"        {var} += i * 2;", "    }")
        elif shape == 1:
            w.add(
                f"    if ({var} > LIMIT) {{",
                f'        log_error("{w.name(" ")}");',
                "        return -1;",
                "    }",
            )
        else:
            w.add(f"    {var} = clamp({var}, 0, MAX_{w.word().upper()});")
    w.add(f"    return {var};")


def c_function(w: Writer, prefix: str) -> None:
    tagged = w.rng.random() < 0.84
    style = w.rng.randrange(3)
    if tagged and style == 0:
        w.add(f"/* {w.tag()} */")
    elif tagged and style == 1:
        w.add("/**", f" * @brief {w.name(' ').capitalize()}.", f" * {w.tag()}", " */")
    static = "static " if w.rng.random() < 0.3 else ""
    w.add(f"{static}int {prefix}_{w.name()}(int value, const struct ctx *ctx)", "{")
    if tagged and style == 2:
        w.add(f"    // {w.tag()}")
    c_body(w)
    w.add("}", "")


def c_source(w: Writer, target: int) -> None:
    prefix = w.word()
    header = f" * {w.tag()}" if w.rng.random() < 0.15 else f" * {w.name(' ').capitalize()}."
    w.add(
        "/*", header, " */", "#include <stdint.h>", "#include <string.h>", f'#include "{prefix}.h"'
    )
    w.add("", f"#define MAX_{w.word().upper()} {w.rng.randint(10, 99)}", "")
    if w.rng.random() < 0.1:
        w.decoys += 1
        w.add('static const char *usage = "tag with @implements SRS-7 in a comment";', "")
    w.add("struct ctx {", "    int limit;", "    char name[16];", "};", "")
    while len(w.lines) < target:
        c_function(w, prefix)


def c_test_file(w: Writer, target: int) -> None:
    w.add('#include "unity.h"', f'#include "{w.word()}.h"', "", "void setUp(void) {}", "")
    w.add("void tearDown(void) {}", "")
    while len(w.lines) < target:
        w.tests += 1
        if w.rng.random() < 0.5:
            w.add(f"/* {w.tag('verifies')} */")
            w.add(f"void test_{w.name()}_{w.tests}(void)", "{")
        else:
            w.add(f"void test_{w.name()}_{w.tests}(void)", "{", f"    // {w.tag('verifies')}")
        w.add(
            f"    TEST_ASSERT_EQUAL_INT({w.rng.randint(0, 9)}, {w.word()}({w.rng.randint(0, 9)}));"
        )
        w.add("}", "")


def c_header(w: Writer, target: int) -> None:
    guard = f"{w.word().upper()}_{w.word().upper()}_H"
    w.add(f"#ifndef {guard}", f"#define {guard}", "", "#include <stdint.h>", "")
    while len(w.lines) < target:
        w.add(f"/** {w.name(' ').capitalize()}. */", f"int {w.name()}(int value);", "")
    w.add(f"#endif /* {guard} */")


# --- TypeScript ---------------------------------------------------------------------------------


def ts_body(w: Writer, indent: str) -> None:
    var = w.word()
    w.add(f"{indent}let {var} = {w.rng.randint(0, 99)};")
    for _ in range(w.rng.randint(1, 3)):
        shape = w.rng.randrange(3)
        if shape == 0:
            w.add(
                f"{indent}for (const item of items) {{",
                f"{indent}  {var} += item.{w.word()};",
                f"{indent}}}",
            )
        elif shape == 1:
            w.add(
                f"{indent}if ({var} > LIMIT) {{",
                f"{indent}  throw new Error(`{w.word()} ${{{var}}}`);",
                f"{indent}}}",
            )
        else:
            w.add(f'{indent}const {w.word()}Map = {{ {w.word()}: {var}, label: "{w.name(" ")}" }};')
    w.add(f"{indent}return {var};")


def ts_function(w: Writer) -> None:
    tagged = w.rng.random() < 0.84
    style = w.rng.randrange(3)
    if tagged and style == 0:
        w.add(f"// {w.tag()}")
    elif tagged and style == 1:
        w.add("/**", f" * {w.name(' ').capitalize()}.", f" * {w.tag()}", " */")
    w.add(f"export function {w.camel()}(items: Item[], factor = 1): number {{")
    if tagged and style == 2:
        w.add(f"  // {w.tag()}")
    ts_body(w, "  ")
    w.add("}", "")


def ts_class(w: Writer) -> None:
    if w.rng.random() < 0.5:
        w.add(f"/** {w.tag()} */")
    w.add(
        f"export class {w.camel().title()}Service {{",
        "  private readonly cache = new Map<string, number>();",
        "",
    )
    w.add("  constructor(private readonly http: HttpClient) {}", "")
    for _ in range(w.rng.randint(1, 3)):
        if w.rng.random() < 0.86:
            w.add(f"  // {w.tag()}")
        w.add(f"  async {w.camel()}(items: Item[]): Promise<number> {{")
        ts_body(w, "    ")
        w.add("  }", "")
    w.lines.pop()
    w.add("}", "")


def ts_source(w: Writer, target: int) -> None:
    w.add(
        'import { HttpClient } from "@angular/common/http";',
        'import type { Item } from "./model";',
        "",
    )
    w.add(f"const LIMIT = {w.rng.randint(1, 100)};", "")
    if w.rng.random() < 0.1:
        w.decoys += 1
        w.add('export const HELP = "put @implements SRS-1 in a comment";', "")
    while len(w.lines) < target:
        ts_class(w) if w.rng.random() < 0.3 else ts_function(w)
    if w.rng.random() < 0.3:
        w.add(f"export const {w.camel()} = (x: number): number => x * 2;")


def ts_test(w: Writer, indent: str) -> None:
    w.tests += 1
    call = w.rng.choice(("it", "test"))
    title = f"{w.name(' ')} {w.tests}"
    if w.rng.random() < 0.5:
        w.add(f"{indent}// {w.tag('verifies')}", f'{indent}{call}("{title}", () => {{')
    else:
        w.add(f'{indent}{call}("{title}", async () => {{', f"{indent}  // {w.tag('verifies')}")
    w.add(f"{indent}  expect({w.camel()}([])).toBe({w.rng.randint(0, 9)});", f"{indent}}});", "")


def ts_test_file(w: Writer, target: int) -> None:
    w.add(f'import {{ {w.camel()} }} from "../src/{w.word()}";', "")
    while len(w.lines) < target:
        w.add(f'describe("{w.camel()}", () => {{')
        for _ in range(w.rng.randint(2, 5)):
            ts_test(w, "  ")
        w.lines.pop()
        w.add("});", "")


# --- the tree -----------------------------------------------------------------------------------

Maker = Callable[[Writer, int], None]
LAYOUT: dict[tuple[str, bool], tuple[str, str, Maker]] = {
    ("python", False): ("app/src", ".py", py_source),
    ("python", True): ("app/tests", ".py", py_test_file),
    ("c", False): ("fw/src", ".c", c_source),
    ("c", True): ("fw/tests", ".c", c_test_file),
    ("typescript", False): ("web/src", ".ts", ts_source),
    ("typescript", True): ("web/test", ".test.ts", ts_test_file),
}


def plan(files: int, rng: random.Random) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for language, share in MIX:
        n = round(files * share)
        tests = round(n * TEST_SHARE)
        out += [(language, True)] * tests + [(language, False)] * (n - tests)
    rng.shuffle(out)
    return out[:files]


def write_file(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def generate(out: Path, files: int, seed: int) -> Counts:
    rng = random.Random(seed)
    counts = Counts()
    serial: dict[tuple[str, bool], int] = {}
    for language, is_test in plan(files, rng):
        key = (language, is_test)
        n = serial[key] = serial.get(key, 0) + 1
        folder, suffix, maker = LAYOUT[key]
        writer = Writer(random.Random(rng.getrandbits(64)))
        if language == "c" and not is_test and n % 5 == 0:
            maker, suffix = c_header, ".h"
        maker(writer, writer.rng.randint(60, 140))
        stem = ("test_" if is_test and language != "typescript" else "") + f"{writer.word()}_{n}"
        rel = f"{folder}/pkg{n // FILES_PER_FOLDER:04d}/{stem}{suffix}"
        write_file(out, rel, writer.text())
        counts.files += 1
        counts.lines += len(writer.lines)
        counts.tags += writer.tags
        counts.tests += writer.tests
        counts.decoys += writer.decoys
        counts.add(language, "files")
        counts.add(language, "tags", writer.tags)
        counts.add(language, "tests", writer.tests)
    write_noise(out)
    return counts


def write_noise(out: Path) -> None:
    """Files that match the globs but must not be scanned: ignored by git or excluded."""
    (out / ".gitignore").write_text("node_modules/\n*.generated.ts\n", encoding="utf-8")
    for i in range(50):
        write_file(out, f"web/src/node_modules/lib{i}/index.ts", "// @implements SRS-1\n")
        write_file(out, f"web/src/api{i}.generated.ts", "// @implements SRS-1\n")
        write_file(out, f"app/src/generated/gen{i}.py", "# @implements SRS-1\n")


def write_manifest(out: Path, files: int, seed: int, counts: Counts) -> None:
    """What to scan and what a correct scan finds, for ``run.py``."""
    manifest = {
        "files": files,
        "seed": seed,
        "sources": SOURCES,
        "tests": TESTS,
        "exclude": EXCLUDE,
        "expected": counts.__dict__,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out.exists():
        shutil.rmtree(args.out)
    counts = generate(args.out, args.files, args.seed)
    write_manifest(args.out, args.files, args.seed, counts)
    json.dump(counts.__dict__, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
