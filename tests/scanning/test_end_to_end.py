"""The real command line on a small project: a C++ header, QML, a [languages] glob, a near miss."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run

pytestmark = pytest.mark.verifies("SRS-40", "SRS-41", "SRS-42", "SRS-44")

FILES = {
    "medtrace.toml": '[project]\nname = "Units"\nclass = "A"\n\n[paths]\nitems = ["docs"]\n'
    'sources = ["include/**", "src/**"]\n\n[languages]\n"*.tpp" = "cpp"\n',
    "docs/requirements.yaml": "kind: software-requirement\nitems:\n"
    "  - id: SRS-1\n    title: Lengths in meters\n"
    "  - id: SRS-2\n    title: The dial shows the dose\n"
    "  - id: SRS-3\n    title: Any unit converts\n",
    "include/units.h": "namespace units {\nclass Length {\n public:\n  // @implements SRS-1\n"
    "  double meters() const;\n  double millimeters() const;\n};\n}\n",
    "src/Dial.qml": "import QtQuick 2.15\n\nItem {\n    id: dial\n    // @implements SRS-2\n"
    "    function show(dose) { return dose }\n}\n",
    "src/legacy.c": "// @implement SRS-1\nint legacy(void) { return 0; }\n",
    "src/convert.tpp": "// @implements SRS-3\ntemplate <class T> T convert(T value) { return value; }\n",
}


def _project(root: Path) -> Path:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    return root


def test_check_reports_the_near_miss_with_its_fix(tmp_path: Path, cli: Callable[..., Run]) -> None:
    done = cli("-C", str(_project(tmp_path)), "check")
    assert done.code == 0  # warnings only
    assert (
        "src/legacy.c:1: warning MT111 tag-near-miss: `@implement SRS-1` looks like a tag but is "
        "not one: it is ignored" in done.out
    )
    assert "hint: Write '@implements SRS-1'" in done.out


def test_the_matrix_names_the_header_method_the_qml_function_and_the_mapped_file(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    done = cli("-C", str(_project(tmp_path)), "matrix")
    assert done.code == 0
    rows = {line.split(" | ")[0].lstrip("| "): line for line in done.out.splitlines()}
    assert "include/units.h:5 Length.meters" in rows["SRS-1"]
    assert "src/Dial.qml:6 dial.show" in rows["SRS-2"]
    assert "src/convert.tpp:2 convert" in rows["SRS-3"]


def test_an_unknown_language_is_a_configuration_error(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    root = _project(tmp_path)
    (root / "medtrace.toml").write_text(FILES["medtrace.toml"].replace('"cpp"', '"c++"'), "utf-8")
    done = cli("-C", str(root), "check")
    assert done.code == 2
    assert "medtrace.toml:10: error MT090" in done.out + done.err
    assert "did you mean 'cpp'?" in done.out + done.err
