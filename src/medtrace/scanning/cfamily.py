"""C and C++: symbols, and the tests of Unity, GoogleTest, Boost.Test, QtTest and Catch2.

Symbols are function definitions, prototypes (a declaration without a body is named like the
function it declares: in a header, a tag above a prototype belongs to it), method declarations
in class bodies, classes, structs, unions and enums. C++ names are qualified as written
(``Class::method`` is ``Class.method``); a method declared in a class body is qualified by the
class.

Tests (in test files only):

- C functions named ``test...`` (Unity, CUnit...), defined with a body;
- GoogleTest and CppUTest ``TEST(Suite, Name)``, named ``Suite.Name``; Boost.Test
  ``BOOST_AUTO_TEST_CASE(name)``;
- QtTest: the private slots of a class in a file with ``QTEST_MAIN(Class)`` (or
  ``QTEST_APPLESS_MAIN``, ``QTEST_GUILESS_MAIN``) or that includes ``<QtTest>``, named
  ``Class.slot`` as QtTest's JUnit output names them (classname ``Class``, name ``slot``);
  ``initTestCase``, ``cleanupTestCase``, ``init``, ``cleanup`` and ``*_data`` are not tests;
- Catch2: ``TEST_CASE("title", "[tags]")``, ``TEST_CASE_METHOD(Fixture, "title")`` and
  ``SCENARIO("title")`` named by their title, their ``SECTION``, ``GIVEN``, ``WHEN`` and ``THEN``
  blocks named as Catch2's JUnit reporter names them: ``title/section``, and
  ``Scenario: title/Given: ...`` for scenarios.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from tree_sitter import Node

from medtrace.scanning.treesitter import Described, Found, plain_name, text_of

__all__ = [
    "CATCH2_MACROS",
    "CPP_QUERY",
    "C_QUERY",
    "NAMED_TEST_MACROS",
    "TEST_MACROS",
    "describe_c",
    "describe_catch2",
    "prepare",
    "qualified",
]

#: GoogleTest and CppUTest macros: ``TEST(Suite, Name) { ... }`` is the test ``Suite.Name``.
TEST_MACROS = frozenset(
    {"TEST", "TEST_F", "TEST_P", "TYPED_TEST", "TYPED_TEST_P", "TEST_GROUP_BASE", "IGNORE_TEST"}
)
#: Boost.Test macros whose single argument names the test.
NAMED_TEST_MACROS = frozenset({"BOOST_AUTO_TEST_CASE", "BOOST_FIXTURE_TEST_CASE"})
#: Catch2 macros that open a test or a section, with the prefix their JUnit name takes.
CATCH2_MACROS = {
    "TEST_CASE": "",
    "TEST_CASE_METHOD": "",
    "TEMPLATE_TEST_CASE": "",
    "SCENARIO": "Scenario: ",
    "SECTION": "",
    "GIVEN": "Given: ",
    "AND_GIVEN": "And given: ",
    "WHEN": "When: ",
    "AND_WHEN": "And when: ",
    "THEN": "Then: ",
    "AND_THEN": "And: ",
}
_CATCH2_TOP = frozenset({"TEST_CASE", "TEST_CASE_METHOD", "TEMPLATE_TEST_CASE", "SCENARIO"})
_QT_NOT_TESTS = frozenset(
    {"initTestCase", "initTestCase_data", "cleanupTestCase", "init", "cleanup"}
)
_QT_MAIN = re.compile(rb"\bQTEST_(?:APPLESS_|GUILESS_)?MAIN\s*\(\s*(\w+)")
_QT_INCLUDE = re.compile(rb"#\s*include\s*<(?:QtTest|QTest)(?:/[\w.]+)?>")
_SLOTS = re.compile(r"private\s+(?:slots|Q_SLOTS)\s*:")
_GENERICS = re.compile(r"<[^<>]*>")
_DECLARATOR_TYPES = frozenset(
    {
        "pointer_declarator",
        "function_declarator",
        "parenthesized_declarator",
        "attributed_declarator",
        "reference_declarator",
        "init_declarator",
        "array_declarator",
    }
)
_NAMES = frozenset(
    {
        "identifier",
        "type_identifier",
        "field_identifier",
        "qualified_identifier",
        "operator_name",
        "destructor_name",
        "template_function",
    }
)
#: Where a declaration is local (not a symbol of its own).
_LOCAL = frozenset(
    {"compound_statement", "function_definition", "parameter_list", "lambda_expression"}
)

C_QUERY = """
(comment) @comment
(function_definition declarator: (_) @name) @function
(declaration declarator: (_) @name) @function
(field_declaration declarator: (_) @name) @function
(type_definition declarator: (_) @name) @class
(preproc_def name: (identifier) @name value: (_)) @function
(preproc_function_def name: (identifier) @name) @function
(struct_specifier name: (_) @name body: (field_declaration_list)) @class
(union_specifier name: (_) @name body: (field_declaration_list)) @class
(enum_specifier name: (_) @name body: (enumerator_list)) @class
"""
CPP_QUERY = (
    C_QUERY
    + """
(class_specifier name: (_) @name body: (field_declaration_list)) @class
(alias_declaration name: (_) @name) @class
(expression_statement (call_expression function: (identifier) @_macro
  arguments: (argument_list) @name)
  (#any-of? @_macro "TEST_CASE" "TEST_CASE_METHOD" "TEMPLATE_TEST_CASE" "SCENARIO" "SECTION"
    "GIVEN" "AND_GIVEN" "WHEN" "AND_WHEN" "THEN" "AND_THEN")) @call
"""
)


#: Lines holding only upper-case macro names (``RCL_PUBLIC``, ``Q_OBJECT``): attribute or
#: declaration macros that the preprocessor would expand, most often to nothing.
_MACRO_LINES = re.compile(
    rb"^[ \t]*[A-Z][A-Z0-9_]*(?:[ \t]+[A-Z][A-Z0-9_]*)*[ \t]*\r?$", re.MULTILINE
)
#: A line holding only an upper-case macro call (``FLATBUFFERS_ATTRIBUTE([[deprecated]])``):
#: blanked unless a block follows it (``TEST(Suite, Name)`` then ``{`` is a test).
_MACRO_CALL_LINES = re.compile(
    rb"^[ \t]*[A-Z][A-Z0-9_]*[ \t]*\((?:[^()\n]|\((?:[^()\n]|\([^()\n]*\))*\))*\)[ \t]*\r?$",
    re.MULTILINE,
)
_NEXT_CODE = re.compile(rb"(?:\s|//[^\n]*|/\*.*?\*/)*(\S)", re.DOTALL)
#: An export macro between ``class`` and the name: ``class LEVELDB_EXPORT DB {``.
_EXPORT_MACRO = re.compile(
    rb"\b(?:class|struct|union)[ \t]+([A-Za-z_]\w*)[ \t]+"
    rb"(?=(?!final\b)[A-Za-z_]\w*\s*(?:[:{]|final\b))"
)
#: Qt's access sections: ``private slots:``, ``signals:``.
_QT_SECTIONS = re.compile(
    rb"\b(?:(?:public|protected|private)[ \t]+(Q_SLOTS|slots)|(Q_SIGNALS|signals))[ \t]*:"
)


# @implements SRS-41
def prepare(source: bytes) -> bytes:
    """The source as the parser reads it, offsets unchanged: macros that the preprocessor
    would expand to nothing are blanked (upper-case names alone on their line, with or without
    arguments unless a block follows; an export macro between ``class`` and the class name),
    and so is Qt's ``slots``; ``signals:`` reads ``public:``.

    tree-sitter does not expand macros: without this, ``RCL_PUBLIC`` above a prototype or
    ``class LEVELDB_EXPORT DB`` derails the parse and tags land on the wrong symbol."""
    data = bytearray(source)
    for start in _upper_lines(source):  # the only lines either macro pattern can match
        match = _macro_line(source, start)
        if match is not None:
            data[match.start() : match.end()] = b" " * (match.end() - match.start())
    for match in _EXPORT_MACRO.finditer(source) if _holds(source, _EXPORT_WORDS) else ():
        data[match.start(1) : match.end(1)] = b" " * (match.end(1) - match.start(1))
    for match in _QT_SECTIONS.finditer(source) if _holds(source, _QT_WORDS) else ():
        group = 1 if match.group(1) else 2
        start, end = match.start(group), match.end(group)
        data[start:end] = b"public".ljust(end - start) if group == 2 else b" " * (end - start)
    return bytes(data)


#: A line break, then a line whose code starts with an upper-case letter: a literal first, so
#: that the search jumps from line break to line break in C (the line patterns, anchored at
#: every line start, were tried at every byte).
_UPPER_LINE = re.compile(rb"\n[ \t]*[A-Z]")
_UPPER_FIRST_LINE = re.compile(rb"[ \t]*[A-Z]")


# @implements SRS-334
def _upper_lines(source: bytes) -> Iterator[int]:
    """The start of each line whose code starts with an upper-case letter: where the macro
    line patterns (``^`` then blanks and an upper-case letter, within one line) may match."""
    if _UPPER_FIRST_LINE.match(source):
        yield 0
    for found in _UPPER_LINE.finditer(source):
        yield found.start() + 1


def _macro_line(source: bytes, start: int) -> re.Match[bytes] | None:
    """The line at ``start`` if it holds only macro names, or a macro call that no block
    follows (the two patterns never match the same line: one needs a ``(``, the other has
    none)."""
    match = _MACRO_LINES.match(source, start)
    if match is not None:
        return match
    match = _MACRO_CALL_LINES.match(source, start)
    if match is None:
        return None
    following = _NEXT_CODE.match(source, match.end())
    return match if following is not None and following.group(1) != b"{" else None


#: Words that every match of a pattern holds: a file without any is not searched (a literal
#: search in C is many times faster than trying the pattern at every word boundary).
_EXPORT_WORDS = (b"class", b"struct", b"union")
_QT_WORDS = (b"slots", b"SLOTS", b"signals", b"SIGNALS")


def _holds(source: bytes, words: tuple[bytes, ...]) -> bool:
    return any(word in source for word in words)


def qualified(text: str) -> str:
    """``ns::Class<T>::method`` as ``ns.Class.method``."""
    if "<" not in text and ":" not in text and " " not in text:
        return text  # a plain name, as most are
    while _GENERICS.search(text):
        text = _GENERICS.sub("", text)
    return text.replace("::", ".").replace(" ", "")


def _innermost_declarator(node: Node) -> tuple[Node, Node | None]:
    """The name node of a C declarator and the parameters of its function declarator."""
    parameters: Node | None = None
    while node.type in _DECLARATOR_TYPES:
        if node.type == "function_declarator" and parameters is None:
            parameters = node.child_by_field_name("parameters")
        inner = node.child_by_field_name("declarator") or next(
            (c for c in node.named_children if c.type in _NAMES or c.type in _DECLARATOR_TYPES),
            None,
        )
        if inner is None:
            break
        node = inner
    return node, parameters


# @implements SRS-41
def describe_c(found: Found) -> Described | None:
    if found.kind == "call":
        return describe_catch2(found)
    node_type = found.node.type
    if node_type.startswith("preproc_"):
        return plain_name(found)
    if node_type in ("struct_specifier", "union_specifier", "enum_specifier", "class_specifier"):
        parent = found.node.parent
        return (
            None if parent is not None and parent.type == "type_definition" else plain_name(found)
        )
    if found.name is None:
        return None
    node, parameters = _innermost_declarator(found.name)
    declared = node_type not in ("type_definition", "function_definition")
    if declared and parameters is None and _local(found.node):
        return None  # a local variable: not a symbol (told before its name is read)
    name = qualified(text_of(node))
    if node_type == "type_definition":
        return Described(name, False, node)
    if declared:  # a prototype, a method declaration, a variable
        return Described(name, parameters is not None and _qt_slot(found, name), node)
    macro = _macro_test(name, parameters)
    if macro is not None:
        return Described(macro, True, node)
    if _qt_slot(found, name):
        return Described(name, True, node)
    return Described(name, name.rsplit(".", 1)[-1].startswith("test"), node)


def _local(node: Node) -> bool:
    """Whether a declaration is inside a function (a local variable)."""
    parent = node.parent
    while parent is not None:
        if parent.type in _LOCAL:
            return True
        parent = parent.parent
    return False


def _macro_test(name: str, parameters: Node | None) -> str | None:
    # (the name first: the arguments' text is read only for a test macro, not every function)
    if parameters is None or (name not in TEST_MACROS and name not in NAMED_TEST_MACROS):
        return None
    arguments = [text_of(p) for p in parameters.named_children if "comment" not in p.type]
    if name in TEST_MACROS and len(arguments) >= 2:
        return f"{arguments[0]}.{arguments[1]}"
    if name in NAMED_TEST_MACROS and arguments:
        return arguments[0]
    return None


# --- QtTest --------------------------------------------------------------------------------------


# @implements SRS-43
def _qt_slot(found: Found, name: str) -> bool:
    """Whether a method declared in a class body is a private slot of a QtTest class."""
    if not found.is_test_file or "." in name or name in _QT_NOT_TESTS or name.endswith("_data"):
        return False
    body = found.node.parent
    owner = body.parent if body is not None else None
    if body is None or owner is None or body.type != "field_declaration_list":
        return False
    class_name = owner.child_by_field_name("name")
    if class_name is None or not _qt_test_class(found.source, text_of(class_name)):
        return False
    return _in_private_slots(body, found.node, found.source)


@lru_cache(maxsize=16)
def _qt_mains(source: bytes) -> tuple[frozenset[str], bool]:
    """The classes ``QTEST_*MAIN`` names in a file, and whether it includes QtTest."""
    names = frozenset(m.group(1).decode() for m in _QT_MAIN.finditer(source))
    return names, _QT_INCLUDE.search(source) is not None


def _qt_test_class(source: bytes, class_name: str) -> bool:
    names, includes = _qt_mains(source)
    return class_name in names or (includes and not names)


def _in_private_slots(body: Node, member: Node, found_source: bytes) -> bool:
    """Whether the access section ``member`` is in is ``private slots:``."""
    section = ""
    for child in body.children:
        if child.start_byte >= member.start_byte:
            break
        if child.type == "access_specifier":
            tail = found_source[child.start_byte : child.start_byte + 60]
            section = tail.decode("utf-8", "replace")
    return _SLOTS.match(section) is not None


# --- Catch2 --------------------------------------------------------------------------------------


# @implements SRS-43
def describe_catch2(found: Found) -> Described | None:
    """A Catch2 test or section: named by its title, sections by ``title/section``; the
    symbol runs to the end of the block that follows the macro."""
    statement = found.node
    body = statement.next_named_sibling
    title = _catch2_title(statement)
    if body is None or body.type != "compound_statement" or title is None:
        return None
    names = [title]
    outer = _enclosing_catch2(statement)
    while outer is not None:
        outer_title = _catch2_title(outer)
        if outer_title is None:
            break
        names.append(outer_title)
        outer = _enclosing_catch2(outer)
    macro = _macro_of(statement)
    if outer is None and macro not in _CATCH2_TOP and len(names) == 1:
        return None  # a SECTION outside any test case
    return Described("/".join(reversed(names)), True, found.name, absolute=True, last=body)


def _macro_of(statement: Node) -> str:
    call = statement.named_children[0] if statement.named_children else None
    function = call.child_by_field_name("function") if call is not None else None
    return text_of(function) if function is not None else ""


def _catch2_title(statement: Node) -> str | None:
    """``Given: a vector`` for ``GIVEN("a vector")``; ``None`` if not a Catch2 macro."""
    macro = _macro_of(statement)
    prefix = CATCH2_MACROS.get(macro)
    call = statement.named_children[0] if statement.named_children else None
    arguments = call.child_by_field_name("arguments") if call is not None else None
    if prefix is None or arguments is None:
        return None
    strings = [a for a in arguments.named_children if a.type == "string_literal"]
    if not strings:
        return None
    title = "".join(text_of(c) for c in strings[0].named_children if c.type == "string_content")
    return prefix + title.strip()


def _enclosing_catch2(statement: Node) -> Node | None:
    """The Catch2 macro statement whose block holds ``statement``."""
    block = statement.parent
    if block is None or block.type != "compound_statement":
        return None
    before = block.prev_named_sibling
    if before is None or before.type != "expression_statement" or not _macro_of(before):
        return None
    return before
