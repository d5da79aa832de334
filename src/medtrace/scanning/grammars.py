"""Tree-sitter grammars, queries and test rules of the languages other than Python.

Each grammar's ``describe`` hook names a captured symbol and tells whether it is a test (only
asked in test files): C and C++ as :mod:`medtrace.scanning.cfamily` says (Unity, GoogleTest,
Boost.Test, QtTest, Catch2), QML ``test_*`` functions of a ``TestCase``, Java/Kotlin methods annotated ``@Test``, C# methods with
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
import tree_sitter_qmljs
import tree_sitter_rust
import tree_sitter_swift
import tree_sitter_typescript
from tree_sitter import Node

from medtrace.scanning.cfamily import (
    C_QUERY,
    CPP_QUERY,
    TEST_MACROS,
    describe_c,
    prepare,
    qualified,
)
from medtrace.scanning.treesitter import Describe, Described, Found, Grammar, plain_name, text_of

__all__ = ["GRAMMARS", "JS_GROUPS", "JS_TESTS", "TEST_MACROS"]

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


def _header(found: Found) -> str:
    """The source from the symbol's first attribute to its name."""
    start = found.leading[0].start_byte if found.leading else found.node.start_byte
    end = found.name.start_byte if found.name is not None else found.node.start_byte
    return found.source[start:end].decode("utf-8", "replace")


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
    owner = qualified(text_of(kind)).lstrip("*").split("[")[0] if kind is not None else ""
    return Described(f"{owner}.{name}" if owner else name, False)


def describe_rust(found: Found) -> Described | None:
    named = plain_name(found)
    if named is None:
        return None
    if found.node.type == "impl_item":
        return Described(qualified(named.name), False)
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


# --- QML --------------------------------------------------------------------------------------


# @implements SRS-42
def describe_qml(found: Found) -> Described | None:
    """Objects are named by their ``id`` (else their type), functions, properties, signals and
    bindings by their name; ``test_*`` functions of a ``TestCase`` (not ``*_data``) are the tests
    ``Name::test_x``, as Qt Quick Test reports them (``Name`` is the ``name`` property)."""
    if found.name is None:
        return None
    name = text_of(found.name)
    node = found.node
    if node.type == "ui_object_definition":
        named_by = _qml_value(node, "id")
        return Described(text_of(named_by) if named_by else name, False, named_by)
    if node.type == "ui_binding" and name == "id":
        return None
    owner = _qml_owner(node)
    is_test = name.startswith("test_") and not name.endswith("_data")  # data functions
    if node.type != "function_declaration" or owner is None or not is_test:
        return Described(name, False)
    type_name = owner.child_by_field_name("type_name")
    if type_name is None or not text_of(type_name).split(".")[-1].endswith("TestCase"):
        return Described(name, False)
    case = _qml_binding(owner, "name") or _qml_binding(owner, "id") or text_of(type_name)
    return Described(f"{case}::{name}", True, absolute=True)


def _qml_owner(node: Node) -> Node | None:
    """The object whose body holds ``node``."""
    parent = node.parent
    if parent is None or parent.type != "ui_object_initializer":
        return None
    return parent.parent


def _qml_value(obj: Node, key: str) -> Node | None:
    """The value of the binding ``key: value`` in an object's body."""
    body = obj.child_by_field_name("initializer")
    for child in body.named_children if body is not None else ():
        name = child.child_by_field_name("name")
        if child.type == "ui_binding" and name is not None and text_of(name) == key:
            return child.child_by_field_name("value")
    return None


def _qml_binding(obj: Node, key: str) -> str | None:
    """The text of the value of the binding ``key: value`` (a string unquoted)."""
    value = _qml_value(obj, key)
    text = text_of(value).strip().rstrip(";") if value is not None else ""
    return text[1:-1] if text[:1] in "\"'" and len(text) > 1 else text or None


# --- the grammars -------------------------------------------------------------------------------

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
_QML = """
(comment) @comment
(ui_object_definition type_name: (_) @name) @class
(function_declaration name: (identifier) @name) @function
(ui_property name: (_) @name) @function
(ui_required name: (_) @name) @function
(ui_signal name: (_) @name) @function
(ui_binding name: (_) @name) @function
"""
_C_WRAPPERS = frozenset({"type_definition", "declaration"})
_JS_WRAPPERS = frozenset({"export_statement", "lexical_declaration", "variable_declaration"})
_JS_LEADING = frozenset({"decorator"})

GRAMMARS: dict[str, Grammar] = {
    "c": Grammar(
        tree_sitter_c.language, C_QUERY, describe_c, wrappers=_C_WRAPPERS, prepare=prepare
    ),
    "cpp": Grammar(
        tree_sitter_cpp.language,
        CPP_QUERY,
        describe_c,
        prepare=prepare,
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
    "qml": Grammar(tree_sitter_qmljs.language, _QML, describe_qml),
    "tsx": Grammar(
        tree_sitter_typescript.language_tsx,
        _TS,
        describe_js,
        wrappers=_JS_WRAPPERS,
        leading=_JS_LEADING,
    ),
}
