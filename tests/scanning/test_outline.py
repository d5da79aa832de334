"""How a tag is attributed: the symbol it stands directly before, else the one that encloses
it, else the file."""

from __future__ import annotations

import pytest

from .helpers import Scanned, Write, owners

pytestmark = pytest.mark.verifies("SRS-19")


def test_directly_before_with_blank_lines_and_comments_between(
    write: Write, scanned: Scanned
) -> None:
    write(
        "src/a.c",
        """/* @implements SRS-1 */

/* Another comment. */
// And another.
int f(void) { return 0; }
""",
    )
    assert owners(scanned()) == {"SRS-1": "f"}


def test_code_between_breaks_the_link(write: Write, scanned: Scanned) -> None:
    write("src/a.c", "/* @implements SRS-1 */\n#include <x.h>\n\nint f(void) { return x; }\n")
    assert owners(scanned()) == {"SRS-1": None}


def test_a_file_scope_variable_is_a_symbol_a_local_one_is_not(
    write: Write, scanned: Scanned
) -> None:
    write(
        "src/a.c",
        "/* @implements SRS-1 */\nstatic int x = 1;\n\n"
        "int f(void) {\n  /* @implements SRS-2 */\n  int y = x;\n  return y;\n}\n",
    )
    assert owners(scanned()) == {"SRS-1": "x", "SRS-2": "f"}


def test_decorators_and_attributes_belong_to_the_symbol(write: Write, scanned: Scanned) -> None:
    write(
        "src/a.py",
        """import functools


# @implements SRS-1
@functools.cache
@other(
    1,
)
def f():
    pass


@functools.cache
# @implements SRS-2
def g():
    pass
""",
    )
    write("src/b.rs", "/// @implements SRS-3\n#[inline]\n#[must_use]\nfn h() -> i32 { 1 }\n")
    write(
        "src/c.ts",
        "class A {\n  // @implements SRS-4\n  @Input()\n  name(): string { return ''; }\n}\n",
    )
    assert owners(scanned()) == {"SRS-1": "f", "SRS-2": "g", "SRS-3": "h", "SRS-4": "A.name"}


def test_a_comment_at_the_end_of_a_body_stays_in_it(write: Write, scanned: Scanned) -> None:
    write(
        "src/a.c",
        """int f(void)
{
    return 0;
    // @implements SRS-1
}
int g(void) { return 1; }
""",
    )
    write(
        "src/b.py",
        """def f():
    return 0
    # @implements SRS-2

def g():
    return 1
# @implements SRS-3

def h():
    pass
""",
    )
    assert owners(scanned()) == {"SRS-1": "f", "SRS-2": "f", "SRS-3": "h"}


def test_trailing_comments(write: Write, scanned: Scanned) -> None:
    write(
        "src/a.c",
        """static int x = 1; // @implements SRS-1
int f(void)
{
    return x;
} // @implements SRS-2
int g(void) { return 0; }  /* @implements SRS-3 */
""",
    )
    assert owners(scanned()) == {"SRS-1": "x", "SRS-2": "f", "SRS-3": "g"}


def test_nested_symbols_and_qualified_names(write: Write, scanned: Scanned) -> None:
    write(
        "src/a.py",
        """class Pump:
    # @implements SRS-1
    def rate(self):
        def inner():
            # @implements SRS-2
            return 1
        return inner()

    class Valve:
        # @implements SRS-3
        def open(self):
            pass


# @implements SRS-4
class Alarm:
    pass
""",
    )
    assert owners(scanned()) == {
        "SRS-1": "Pump.rate",
        "SRS-2": "Pump.rate.inner",
        "SRS-3": "Pump.Valve.open",
        "SRS-4": "Alarm",
    }


def test_a_comment_before_a_symbol_of_an_enclosing_scope(write: Write, scanned: Scanned) -> None:
    write(
        "src/a.ts",
        """export class Pump {
  rate(): number {
    return 1;
  }
  // @implements SRS-1
}

// @implements SRS-2
export const helper = (x: number): number => x * 2;
""",
    )
    assert owners(scanned()) == {"SRS-1": "Pump", "SRS-2": "helper"}


def test_a_module_docstring_belongs_to_the_file(write: Write, scanned: Scanned) -> None:
    write("src/a.py", '"""The module.\n\n@implements SRS-1\n"""\ndef f():\n    pass\n')
    assert owners(scanned()) == {"SRS-1": None}


def test_tags_in_a_symbol_header_belong_to_it(write: Write, scanned: Scanned) -> None:
    write("src/a.c", "int f(int a, /* @implements SRS-1 */ int b)\n{\n    return a + b;\n}\n")
    assert owners(scanned()) == {"SRS-1": "f"}
