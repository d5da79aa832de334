"""C or C++ per header: content, a C++ sibling, or the [languages] table."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrace.config.defaults import LANGUAGES as CONFIG_LANGUAGES
from medtrace.scanning import LANGUAGES, scan
from medtrace.scanning.headers import looks_cpp
from medtrace.scanning.languages import Chooser, compile_mapping, mapped_language

from .helpers import Scanned, Write

pytestmark = pytest.mark.verifies("SRS-40")


@pytest.mark.parametrize(
    "code",
    [
        "namespace units {\nint f();\n}\n",
        "template <typename T>\nT max(T a, T b);\n",
        "class Pump {\n public:\n  void start();\n};\n",
        "class Pump : public Device {};\n",
        "struct S { private: int x; };\n",
        "int f() { return std::max(1, 2); }\n",
        "#include <vector>\nint f();\n",
        "struct S { virtual ~S(); };\n",
        "bool operator==(const S& a, const S& b);\n",
    ],
)
def test_cpp_is_told_by_its_code(code: str) -> None:
    assert looks_cpp(code.encode())


@pytest.mark.parametrize(
    "code",
    [
        '#ifdef __cplusplus\nextern "C" {\n#endif\nint f(void);\n#ifdef __cplusplus\n}\n#endif\n',
        "/* a class of devices; see ns::f */\nstruct pump { int rate; };\n",
        '#include <stdio.h>\nconst char *s = "std::string";\n',
        "typedef struct { int x; } point_t;\n// template <typename T> is C++\n",
    ],
)
def test_c_stays_c_comments_and_strings_aside(code: str) -> None:
    assert not looks_cpp(code.encode())


def _languages(result_tags: list[object]) -> set[str]:
    return {tag.language for tag in result_tags}  # type: ignore[attr-defined]


def test_a_cpp_header_is_read_as_cpp(write: Write, scanned: Scanned) -> None:
    write(
        "src/units.h",
        "namespace units {\nclass Length {\n public:\n"
        "  // @implements SRS-1\n  double meters() const;\n  double millimeters() const;\n};\n}\n",
    )
    result = scanned()
    assert [(t.ids, t.symbol, t.language) for t in result.tags] == [
        (("SRS-1",), "Length.meters", "cpp")
    ]


def test_a_cpp_sibling_makes_a_plain_header_cpp(write: Write, scanned: Scanned) -> None:
    write("src/pump.h", "// @implements SRS-1\nint rate(void);\n")
    write("src/pump.cpp", "int rate() { return 1; }\n")
    write("src/valve.h", "// @implements SRS-2\nint open(void);\n")
    write("src/valve.c", "int open(void) { return 1; }\n")
    languages = {t.path: t.language for t in scanned().tags}
    assert languages == {"src/pump.h": "cpp", "src/valve.h": "c"}


def test_the_languages_table_maps_globs_last_match_wins(tmp_path: Path, write: Write) -> None:
    write("src/a.h", "// @implements SRS-1\nint f(void);\n")
    write("src/impl/b.tpp", "// @implements SRS-2\ntemplate <class T> T g(T x) { return x; }\n")
    write("src/legacy/c.h", "// @implements SRS-3\nint h(void);\n")
    table = {"*.h": "cpp", "*.tpp": "cpp", "legacy/*.h": "c"}
    result = scan(tmp_path, ["src/**"], [], languages=table)
    found = {t.path: (t.language, t.symbol) for t in result.tags}
    assert found == {
        "src/a.h": ("cpp", "f"),
        "src/impl/b.tpp": ("cpp", "g"),
        "src/legacy/c.h": ("cpp", "h"),  # a glob with a "/" is anchored at the root
    }
    table["src/legacy/*.h"] = "c"
    result = scan(tmp_path, ["src/**"], [], languages=table)
    assert {t.path: t.language for t in result.tags}["src/legacy/c.h"] == "c"


def test_the_globs_are_medtraces_dialect_and_a_bare_name_is_anywhere() -> None:
    mapping = compile_mapping({"*.h": "cpp", "include/**/*.h": "c", "!x": "qml"})
    assert mapped_language("deep/a/b.h", mapping) == "cpp"
    assert mapped_language("include/x/y.h", mapping) == "c"
    assert mapped_language("src/include/y.h", mapping) == "cpp"
    assert mapped_language("a.hpp", mapping) is None


def test_the_chooser_says_how_it_chose(write: Write, tmp_path: Path) -> None:
    header = write("src/a.h", "int f(void);\n")
    chooser = Chooser({"*.tpp": "cpp"})
    assert chooser.choose("src/a.h", str(header))[1] == "auto"
    assert chooser.choose("src/a.tpp", str(tmp_path / "src/a.tpp"))[1] == "table"
    assert chooser.choose("src/a.c", str(tmp_path / "src/a.c"))[1] == "suffix"
    write("src/a.hpp", "int f();\n")
    assert chooser.choose("src/a.h", str(header))[1] == "sibling"


def test_a_cached_header_follows_a_new_sibling(write: Write, tmp_path: Path) -> None:
    write("src/a.h", "// @implements SRS-1\nint f(void);\n")
    cache = tmp_path / ".cache"
    assert {t.language for t in scan(tmp_path, ["src/**"], [], cache_dir=cache).tags} == {"c"}
    write("src/a.cc", "int f() { return 0; }\n")
    assert {t.language for t in scan(tmp_path, ["src/**"], [], cache_dir=cache).tags} == {"cpp"}


def test_the_configuration_knows_every_language_the_scanner_reads() -> None:
    assert set(CONFIG_LANGUAGES) == set(LANGUAGES)


def test_c23_keywords_do_not_make_a_header_cpp() -> None:
    assert not looks_cpp(b"constexpr int max = 10;\nvoid *p = nullptr;\n[[gnu::unused]] int x;\n")


def test_final_classes_and_export_macros(write: Write, scanned: Scanned) -> None:
    write(
        "src/pump.hpp",
        "// @implements SRS-1\nclass Pump final {\n  // @implements SRS-2\n  void start();\n};\n"
        "// @implements SRS-3\nclass PUMP_EXPORT Valve final : public Part {\n};\n",
    )
    assert {t.ids[0]: t.symbol for t in scanned().tags} == {
        "SRS-1": "Pump",
        "SRS-2": "Pump.start",
        "SRS-3": "Valve",
    }
