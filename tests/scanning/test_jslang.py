"""The fast JavaScript/TypeScript engine: it reads what tree-sitter reads, or declines."""

from __future__ import annotations

import pytest

from medtrace.scanning.grammars import GRAMMARS
from medtrace.scanning.jslang import fast_outline
from medtrace.scanning.outline import Outline
from medtrace.scanning.treesitter import outline

pytestmark = pytest.mark.verifies("SRS-19")

AGREE = {
    "regular expressions and templates": """const re = /[{"'`]\\/*/g;
const t = `a ${x ? "}" : `{`} b ${ {a: 1}.a } // @implements SRS-99`;
// @implements SRS-1
function f(s) {
  return s.replace(/\\}/, "{") + t;
}
""",
    "expression braces": """const config = { handler() { return 1; }, other: function () {} };
export default {
  // @implements SRS-1
  name: "x",
};
// @implements SRS-2
export const g = (opts = {}) => ({ ...opts, a: [1, { b: 2 }] });
function h({ a, b }, [c] = []) {
  // @implements SRS-3
  return a;
}
""",
    "code without semicolons": """const a = 1
const b = /x/i

// @implements SRS-1
const f = (x) => {
  return x
}
const g = (y) => y
  .trim()
  .toLowerCase()
// @implements SRS-2
function h() {}
""",
    "classes": """export default class extends Base {
  #secret = 1
  // @implements SRS-1
  static async *items() {}
  get value() { return this.#secret }
  set value(v) { this.#secret = v }
  handler = (e) => {
    // @implements SRS-2
  };
  [Symbol.iterator]() {}
}
const Mixin = (B) => class extends B {
  mixed() {}
}
""",
    "tests": """describe("outer", () => {
  // @verifies SRS-1
  it("a", () => expect(1).toBe(1));
  describe.each([[1], [2]])("inner %s", (n) => {
    test(`t ${n}`, async () => {
      // @verifies SRS-2
    });
  });
  it.skip("skipped", function () {})
  test.todo("later");
});
""",
}

TS_AGREE = {
    "types": """export interface Dose {
  units: number;
  clamp(limit: number): number;
}
// @implements SRS-1
export enum Unit { mL, U }
export namespace Pumps {
  // @implements SRS-2
  export function rate<T extends { a: number }>(x: T): { b: string } {
    return { b: "" };
  }
}
export abstract class Base<T> implements Dose {
  units = 0;
  abstract clamp(limit: number): number;
  // @implements SRS-3
  protected constructor(private readonly http: Http) {
    super();
  }
  @Input() public name?: string;
  @Output()
  changed = new EventEmitter<string>();
}
type Shape = { kind: "a" } | { kind: "b" };
declare global {
  interface Window { x: number }
}
""",
}


def owners(found: Outline) -> list[tuple[int, str | None]]:
    return [(c.line, o.qualname if o else None) for c, o in found.owners()]


def collected(found: Outline) -> list[str]:
    return [s.qualname for s in found.symbols if s.test]


def summary(found: Outline) -> list[object]:
    symbols = [
        (s.qualname, found.lines.line(s.start), found.lines.line(s.end - 1), s.test)
        for s in found.symbols
    ]
    return [*symbols, *((c.line, o.qualname if o else None) for c, o in found.owners())]


@pytest.mark.parametrize("name", sorted(AGREE))
def test_javascript_like_tree_sitter(name: str) -> None:
    text = AGREE[name]
    fast = fast_outline(text, True, typescript=False, complete=True)
    assert fast is not None
    assert summary(fast) == summary(outline(GRAMMARS["javascript"], text.encode(), True))


@pytest.mark.parametrize("name", sorted({**AGREE, **TS_AGREE}))
def test_typescript_like_tree_sitter(name: str) -> None:
    text = {**AGREE, **TS_AGREE}[name]
    fast = fast_outline(text, True, typescript=True, complete=True)
    assert fast is not None
    assert summary(fast) == summary(outline(GRAMMARS["typescript"], text.encode(), True))


@pytest.mark.parametrize("name", sorted({**AGREE, **TS_AGREE}))
@pytest.mark.parametrize("is_test", [False, True])
def test_blocks_without_tags_need_not_be_read(name: str, is_test: bool) -> None:
    text = {**AGREE, **TS_AGREE}[name]
    guided = fast_outline(text, is_test, typescript=True)
    complete = fast_outline(text, is_test, typescript=True, complete=True)
    assert guided is not None and complete is not None
    assert owners(guided) == owners(complete)
    assert collected(guided) == collected(complete)


def test_an_unknown_class_member_is_left_to_tree_sitter() -> None:
    text = "class A {\n  // @implements SRS-1\n  weird stuff here {\n  }\n}\n"
    assert fast_outline(text, False, typescript=True) is None


def test_unbalanced_braces_are_left_to_tree_sitter() -> None:
    assert fast_outline("function f() {\n  return `${`;\n", False, typescript=False) is None
