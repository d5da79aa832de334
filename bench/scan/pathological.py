"""Time the tag scanner on the two pathological files of the hardening issue.

- ``comments``: a run of 30,000 tag comments before one function (about 0.7 MB of C), which
  must be attributed in linear time;
- ``unterminated``: a tag, then 20,000 lines opening an unterminated ``/*`` (about 320 KB of
  JavaScript), on which tree-sitter's error recovery runs for minutes: the parse has a time
  budget and the file is reported as not analysed.

Each file is generated in a temporary folder (nothing is stored) and scanned once; the time of
the scan of each is printed.

Usage: ``python bench/scan/pathological.py [comments|unterminated ...]``
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from medtrace.scanning import scan


def comments_file() -> tuple[str, str]:
    lines = [f"// @implements SRS-{n % 97 + 1}" for n in range(30_000)]
    return "many_comments.c", "\n".join(lines) + "\nint owner(void) { return 0; }\n"


def unterminated_file() -> tuple[str, str]:
    return "unterminated.js", "// @implements SRS-1\n" + "/* unterminated\n" * 20_000


CASES = {"comments": comments_file, "unterminated": unterminated_file}


def main(names: list[str]) -> None:
    for name in names or list(CASES):
        file_name, text = CASES[name]()
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            (root / file_name).write_text(text, "utf-8")
            started = time.perf_counter()
            found = scan(root, [file_name], [])
            elapsed = time.perf_counter() - started
        codes = sorted({d.code for d in found.diagnostics})
        print(
            f"{name}: {len(text.encode()) / 1e6:.2f} MB, {elapsed:.2f} s, "
            f"{len(found.tags)} tags, diagnostics {codes}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
