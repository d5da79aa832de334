"""Tree-sitter grammars, queries and test rules of the languages other than Python.

Each grammar's ``describe`` hook names a captured symbol and tells whether it is a test (only
asked in test files): C/C++ functions named ``test...`` and GoogleTest/CppUTest ``TEST(Suite,
Name)`` macros (named ``Suite.Name``), Java/Kotlin methods annotated ``@Test``, C# methods with
``[Test]``, ``[Fact]``, ``[TestMethod]``..., Go ``func TestXxx(t *testing.T)``, Rust functions with
``#[test]``, Swift ``func test...`` in a ``...TestCase`` subclass or marked ``@Test``, and
JavaScript/TypeScript ``test(...)``/``it(...)`` calls (``describe(...)`` calls are groups).
"""

from __future__ import annotations

import re

import tree_sitter_c
import tree_sitter_c_sharp
import tree_sitter_cpp
import tree_sitter_go
import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_kotlin
import tree_sitter_rust
import tree_sitter_swift
import tree_sitter_typescript
from tree_sitter import Node

from medtrace.scanning.treesitter import Describe, Described, Found, Grammar, plain_name, text_of

__all__ = ["GRAMMARS", "JS_GROUPS", "JS_TESTS", "TEST_MACROS"]

#: GoogleTest and CppUTest macros: ``TEST(Suite, Name) { ... }`` is the test ``Suite.Name``.
TEST_MACROS = frozenset(
    {"TEST", "TEST_F", "TEST_P", "TYPED_TEST", "TYPED_TEST_P", "TEST_GROUP_BASE", "IGNORE_TEST"}
)
#: Boost.Test macros whose single argument names the test.
NAMED_TEST_MACROS = frozenset({"BOOST_AUTO_TEST_CASE", "BOOST_FIXTURE_TEST_CASE"})
JS_TESTS = frozenset({"it", "test", "fit", "xit", "xtest", "specify"})
JS_GROUPS = frozenset({"describe", "fdescribe", "xdescribe", "context", "suite"})

_JAVA_TEST = re.compile(r"@(?:[\w.]*\.)?(?:Test|ParameterizedTest|RepeatedTest|TestFactory)\b")
_CSHARP_TEST = re.compile(
    r"[\[,]\s*(?:[\w.]*\.)?(?:Test|TestCase|TestCaseSource|Theory|Fact|TestMethod|"
    r"DataTestMethod)(?:Attribute)?\s*[\](,]"
)
_RUST_TEST = re.compile(r"#\[\s*(?:[\w:]*::)?(?:test|rstest|test_case|quickcheck)\b")
_SWIFT_TEST = re.compile(r"@Test\b")
_GO_TEST = re.compile(r"Test(?:[^a-z].*)?")
_GENERICS = re.compile(r"<[^<>]*>")
_DECLARATOR_TYPES = frozenset(
    {
        "pointer_declarator",
        "function_declarator",
        "parenthesized_declarator",
        "attributed_declarator",
        "reference_declarator",
    }
)


def _header(found: Found) -> str:
    """The source from the symbol's first attribute to its name."""
    start = found.leading[0].start_byte if found.leading else found.node.start_byte
    end = found.name.start_byte if found.name is not None else found.node.start_byte
    return found.source[start:end].decode("utf-8", "replace")


def _qualified(text: str) -> str:
    while _GENERICS.search(text):
        text = _GENERICS.sub("", text)
    return text.replace("::", ".").replace(" ", "")


# --- C and C++ ----------------------------------------------------------------------------------


def _innermost_declarator(node: Node) -> tuple[Node, Node | None]:
    """The name node of a C declarator and the parameters of its function declarator."""
    parameters: Node | None = None
    while node.type in _DECLARATOR_TYPES:
        if node.type == "function_declarator" and parameters is None:
            parameters = node.child_by_field_name("parameters")
        inner = node.child_by_field_name("declarator")
        if inner is None:
            break
        node = inner
    return node, parameters


def describe_c(found: Found) -> Described | None:
    if found.kind != "function" or found.name is None:
        return plain_name(found)
    node, parameters = _innermost_declarator(found.name)
    name = _qualified(text_of(node))
    macro = _macro_test(name, parameters)
    if macro is not None:
        return Described(macro, True, node)
    return Described(name, name.rsplit(".", 1)[-1].startswith("test"), node)


def _macro_test(name: str, parameters: Node | None) -> str | None:
    if parameters is None:
        return None
    arguments = [text_of(p) for p in parameters.named_children if "comment" not in p.type]
    if name in TEST_MACROS and len(arguments) >= 2:
        return f"{arguments[0]}.{arguments[1]}"
    if name in NAMED_TEST_MACROS and arguments:
        return arguments[0]
    return None


# --- JVM, .NET, Go, Rust, Swift -----------------------------------------------------------------


def describe_annotated(pattern: re.Pattern[str]) -> Describe:
    def describe(found: Found) -> Described | None:
        named = plain_name(found)
        if named is None or found.kind != "function" or not found.is_test_file:
            return named
        return Described(named.name, pattern.search(_header(found)) is not None)

    return describe


def describe_go(found: Found) -> Described | None:
    named = plain_name(found)
    if named is None or found.node.type != "function_declaration":
        return _go_method(found) if found.node.type == "method_declaration" else named
    parameters = found.node.child_by_field_name("parameters")
    takes_t = parameters is not None and "testing.T" in text_of(parameters)
    return Described(named.name, takes_t and _GO_TEST.fullmatch(named.name) is not None)


def _go_method(found: Found) -> Described | None:
    receiver = found.node.child_by_field_name("receiver")
    if found.name is None:
        return None
    name = text_of(found.name)
    if receiver is None:
        return Described(name, False)
    types = [n for n in receiver.named_children if n.type == "parameter_declaration"]
    kind = types[0].child_by_field_name("type") if types else None
    owner = _qualified(text_of(kind)).lstrip("*").split("[")[0] if kind is not None else ""
    return Described(f"{owner}.{name}" if owner else name, False)


def describe_rust(found: Found) -> Described | None:
    named = plain_name(found)
    if named is None:
        return None
    if found.node.type == "impl_item":
        return Described(_qualified(named.name), False)
    attributes = " ".join(text_of(a) for a in found.leading)
    return Described(named.name, found.kind == "function" and bool(_RUST_TEST.search(attributes)))


def describe_swift(found: Found) -> Described | None:
    if found.node.type in ("init_declaration", "deinit_declaration"):
        return Described(found.node.type.split("_")[0], False)
    named = plain_name(found)
    if named is None or found.kind != "function" or not found.is_test_file:
        return named
    if _SWIFT_TEST.search(_header(found)):
        return Described(named.name, True)
    return Described(named.name, named.name.startswith("test") and _in_test_case(found.node))


def _in_test_case(node: Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type != "class_declaration":
        parent = parent.parent
    if parent is None:
        return False
    bases = [text_of(c) for c in parent.named_children if c.type == "inheritance_specifier"]
    return any(base.endswith("TestCase") for base in bases)


# --- JavaScript and TypeScript ------------------------------------------------------------------


def describe_js(found: Found) -> Described | None:
    if found.kind != "call":
        return plain_name(found)
    callee = found.node.child_by_field_name("function")
    root = _callee_root(callee) if callee is not None else ""
    if root not in JS_TESTS and root not in JS_GROUPS:
        return None
    title = text_of(found.name)[1:-1] if found.name is not None else ""
    return Described(title, root in JS_TESTS)


def _callee_root(node: Node) -> str:
    """``it`` for ``it``, ``it.only``, ``test.each(table)``."""
    while node.type in ("member_expression", "call_expression"):
        inner = node.child_by_field_name(
            "object" if node.type == "member_expression" else "function"
        )
        if inner is None:
            return ""
        node = inner
    return text_of(node) if node.type == "identifier" else ""


# --- the grammars -------------------------------------------------------------------------------

_C_SYMBOLS = """
(comment) @comment
(function_definition declarator: (_) @name) @function
(struct_specifier name: (_) @name body: (field_declaration_list)) @class
(union_specifier name: (_) @name body: (field_declaration_list)) @class
(enum_specifier name: (_) @name body: (enumerator_list)) @class
"""
_CPP_SYMBOLS = (
    _C_SYMBOLS + "(class_specifier name: (_) @name body: (field_declaration_list)) @class\n"
)
_JAVA = """
[(line_comment) (block_comment)] @comment
(class_declaration name: (identifier) @name) @class
(interface_declaration name: (identifier) @name) @class
(enum_declaration name: (identifier) @name) @class
(record_declaration name: (identifier) @name) @class
(annotation_type_declaration name: (identifier) @name) @class
(method_declaration name: (identifier) @name) @function
(constructor_declaration name: (identifier) @name) @function
"""
_KOTLIN = """
[(line_comment) (block_comment)] @comment
(class_declaration name: (_) @name) @class
(object_declaration name: (_) @name) @class
(function_declaration name: (_) @name) @function
"""
_CSHARP = """
(comment) @comment
(class_declaration name: (identifier) @name) @class
(struct_declaration name: (identifier) @name) @class
(interface_declaration name: (identifier) @name) @class
(record_declaration name: (identifier) @name) @class
(enum_declaration name: (identifier) @name) @class
(method_declaration name: (identifier) @name) @function
(constructor_declaration name: (identifier) @name) @function
(local_function_statement name: (identifier) @name) @function
(property_declaration name: (identifier) @name) @function
"""
_GO = """
(comment) @comment
(function_declaration name: (identifier) @name) @function
(method_declaration name: (field_identifier) @name) @function
(type_spec name: (type_identifier) @name) @class
"""
_RUST = """
[(line_comment) (block_comment)] @comment
(function_item name: (identifier) @name) @function
(struct_item name: (type_identifier) @name) @class
(enum_item name: (type_identifier) @name) @class
(union_item name: (type_identifier) @name) @class
(trait_item name: (type_identifier) @name) @class
(impl_item type: (_) @name) @class
(mod_item name: (identifier) @name body: (declaration_list)) @module
"""
_SWIFT = """
[(comment) (multiline_comment)] @comment
(class_declaration name: (_) @name) @class
(protocol_declaration name: (_) @name) @class
(function_declaration name: (simple_identifier) @name) @function
(init_declaration) @function
(deinit_declaration) @function
"""
_JS_COMMON = """
(comment) @comment
(function_declaration name: (identifier) @name) @function
(generator_function_declaration name: (identifier) @name) @function
(class_declaration name: (_) @name) @class
(class_body (method_definition name: (_) @name) @function)
(variable_declarator name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)]) @function
(call_expression arguments: (arguments . [(string) (template_string)] @name)) @call
"""
_JS = (
    _JS_COMMON + "(class_body (field_definition property: (_) @name value: [(arrow_function) "
    "(function_expression)]) @function)\n"
)
_TS = (
    _JS_COMMON
    + """
(abstract_class_declaration name: (_) @name) @class
(interface_declaration name: (_) @name) @class
(enum_declaration name: (_) @name) @class
(internal_module name: (_) @name) @module
(class_body (public_field_definition name: (_) @name
  value: [(arrow_function) (function_expression)]) @function)
"""
)
_C_WRAPPERS = frozenset({"type_definition", "declaration"})
_JS_WRAPPERS = frozenset({"export_statement", "lexical_declaration", "variable_declaration"})
_JS_LEADING = frozenset({"decorator"})

GRAMMARS: dict[str, Grammar] = {
    "c": Grammar(tree_sitter_c.language, _C_SYMBOLS, describe_c, wrappers=_C_WRAPPERS),
    "cpp": Grammar(
        tree_sitter_cpp.language,
        _CPP_SYMBOLS,
        describe_c,
        wrappers=_C_WRAPPERS | {"template_declaration"},
    ),
    "java": Grammar(tree_sitter_java.language, _JAVA, describe_annotated(_JAVA_TEST)),
    "kotlin": Grammar(tree_sitter_kotlin.language, _KOTLIN, describe_annotated(_JAVA_TEST)),
    "csharp": Grammar(tree_sitter_c_sharp.language, _CSHARP, describe_annotated(_CSHARP_TEST)),
    "go": Grammar(
        tree_sitter_go.language, _GO, describe_go, wrappers=frozenset({"type_declaration"})
    ),
    "rust": Grammar(
        tree_sitter_rust.language, _RUST, describe_rust, leading=frozenset({"attribute_item"})
    ),
    "swift": Grammar(tree_sitter_swift.language, _SWIFT, describe_swift),
    "javascript": Grammar(
        tree_sitter_javascript.language,
        _JS,
        describe_js,
        wrappers=_JS_WRAPPERS,
        leading=_JS_LEADING,
    ),
    "typescript": Grammar(
        tree_sitter_typescript.language_typescript,
        _TS,
        describe_js,
        wrappers=_JS_WRAPPERS,
        leading=_JS_LEADING,
    ),
    "tsx": Grammar(
        tree_sitter_typescript.language_tsx,
        _TS,
        describe_js,
        wrappers=_JS_WRAPPERS,
        leading=_JS_LEADING,
    ),
}
