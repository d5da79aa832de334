"""The fast C engine: it reads what tree-sitter reads, or declines."""

from __future__ import annotations

import pytest

from medtrace.scanning.clang import fast_outline
from medtrace.scanning.grammars import GRAMMARS
from medtrace.scanning.outline import Outline
from medtrace.scanning.treesitter import outline

pytestmark = pytest.mark.verifies("SRS-19")

AGREE = {
    "preprocessor braces": """#define INIT { 0, 1 }
#define BLOCK(x) do { x; } while (0)
#if defined(X) /* { */
#endif
/* @implements SRS-1 */
int f(void) { BLOCK(g()); return 0; }
""",
    "initializers and records": """static const int table[] = { 1, 2, 3 };
struct point p = { .x = 1, .y = 2 };
typedef struct { int a; } anon_t;
/* @implements SRS-1 */
typedef struct named { int b; struct inner { int c; } i; } named_t;
enum color { RED, GREEN };
union value { int i; float f; };
""",
    "strings and characters": """const char *s = "} /* { // @implements SRS-99";
char c = '{';
char d = '\\'';
// @implements SRS-1
int f(void) { return s[0] == '}'; }
""",
    "extern C and GNU style": """extern "C" {
/* @implements SRS-1 */
static void *
xalloc (size_t size)
{
  return malloc (size);
}
}
""",
    "tests": """void test_clamps(void) {
  // @verifies SRS-1
}
static void helper(void) {}
""",
}

DECLINED = {
    "K&R definition": "int f(a, b)\n  int a;\n  int b;\n{\n  return a + b;\n}\n",
    "braces split by #if": "#if A\nint f(void) {\n#else\nint f(int x) {\n#endif\n  return 0;\n}\n",
    "function returning a function pointer": "void (*signal(int sig, void (*h)(int)))(int) {\n  return h;\n}\n",
}


def summary(found: Outline) -> list[object]:
    symbols = [
        (s.qualname, found.lines.line(s.start), found.lines.line(s.end - 1), s.line, s.test)
        for s in found.symbols
    ]
    return [*symbols, *((c.line, o.qualname if o else None) for c, o in found.owners())]


@pytest.mark.parametrize("name", sorted(AGREE))
def test_the_fast_engine_agrees_with_tree_sitter(name: str) -> None:
    text = AGREE[name]
    fast = fast_outline(text, True, complete=True)
    assert fast is not None
    assert summary(fast) == summary(outline(GRAMMARS["c"], text.encode(), True))


@pytest.mark.parametrize("name", sorted(DECLINED))
def test_shapes_it_does_not_know_are_left_to_tree_sitter(name: str) -> None:
    assert fast_outline(DECLINED[name], False, complete=True) is None


def test_a_tag_in_a_comment_inside_a_macro_definition_is_found() -> None:
    text = "#define X(a) \\\n  a, /* @implements SRS-1 */ \\\n  b\nint f(void) { return 0; }\n"
    fast = fast_outline(text, False)
    assert fast is not None
    assert [(c.line, o) for c, o in fast.owners()] == [(2, None)]
