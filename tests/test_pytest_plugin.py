"""The pytest plugin on real pytest runs (``pytester``): marker, map file, IDs, JUnit XML."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from medtrace.pytest_plugin import nearest_id

pytestmark = pytest.mark.verifies("SRS-21")

CONFIG = """\
[project]
class = "C"

[paths]
items = ["docs"]
exclude = ["docs/drafts/**"]  # loading then warns inside medtrace: -W error must not mind
"""

ITEMS = """\
kind: software-requirement
items:
  - id: SRS-1
    title: Refuse a bolus above the maximum
  - id: SRS-2
    title: Show the insulin on board
  - id: SRS-3
    title: Log every recommendation
"""

PLAIN_TEST = """\
def test_plain():
    assert True
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A medtrace project (class C) with the software requirements SRS-1..3."""
    pytester.makefile(".toml", medtrace=CONFIG)
    (pytester.path / "docs").mkdir()
    (pytester.path / "docs" / "reqs.yaml").write_text(ITEMS, encoding="utf-8")
    return pytester


def read_map(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def by_nodeid(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["nodeid"]: entry for entry in data["tests"]}


def leftovers(folder: Path) -> list[str]:
    """Temporary files of an atomic write left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- the marker -------------------------------------------------------------------------------


def test_the_marker_is_registered_for_strict_markers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.verifies("SRS-1")
        def test_linked():
            pass
        """
    )
    result = pytester.runpytest("--strict-markers", "-W", "error")
    result.assert_outcomes(passed=1)
    assert "warning" not in result.stdout.str().lower()
    markers = pytester.runpytest("--markers")
    markers.stdout.fnmatch_lines(["@pytest.mark.verifies(*ids): this test verifies *(medtrace)"])


def test_importing_the_plugin_loads_nothing_heavy() -> None:
    code = (
        "import sys, medtrace.pytest_plugin\n"
        "heavy = [m for m in ('medtrace.pipeline', 'medtrace.config', 'pydantic', 'yaml')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_run_without_the_marker_never_loads_medtrace(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import sys

        def test_medtrace_is_not_loaded():
            assert "medtrace.pipeline" not in sys.modules
            assert "pydantic" not in sys.modules
        """
    )
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


# --- the map file -----------------------------------------------------------------------------


def test_one_map_entry_per_parametrized_case_with_its_outcome(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_cases="""
        import pytest

        @pytest.mark.verifies("SRS-1", "SRS-2")
        @pytest.mark.parametrize(
            "units",
            [
                1,
                pytest.param(2, marks=pytest.mark.skip(reason="no pump")),
                pytest.param(3, marks=pytest.mark.xfail(reason="known anomaly")),
            ],
        )
        def test_bolus(units):
            assert units != 3
        """
    )
    result = project.runpytest("--medtrace-map", "build/map.json")
    result.assert_outcomes(passed=1, skipped=1, xfailed=1)
    data = read_map(project.path / "build" / "map.json")
    assert data["version"] == 1
    assert data["exitstatus"] == 0
    assert [entry["nodeid"] for entry in data["tests"]] == [
        "test_cases.py::test_bolus[1]",
        "test_cases.py::test_bolus[2]",
        "test_cases.py::test_bolus[3]",
    ]
    assert [entry["outcome"] for entry in data["tests"]] == ["passed", "skipped", "xfailed"]
    for entry in data["tests"]:
        assert entry["file"] == "test_cases.py"
        assert entry["line"] == 3  # the test's first line (its first decorator), 1-based
        assert entry["function"] == "test_bolus"
        assert entry["ids"] == ["SRS-1", "SRS-2"]
    assert leftovers(project.path / "build") == []


def test_every_outcome_in_the_map(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_outcomes="""
        import pytest

        @pytest.fixture
        def broken_setup():
            raise RuntimeError("no device")

        @pytest.fixture
        def broken_teardown():
            yield
            raise RuntimeError("device stuck")

        def test_passes():
            pass

        def test_fails():
            assert False

        def test_setup_error(broken_setup):
            pass

        def test_teardown_error(broken_teardown):
            pass

        @pytest.mark.xfail(reason="fixed later")
        def test_xpass():
            pass

        def test_skips_itself():
            pytest.skip("not on this platform")
        """
    )
    project.runpytest("--medtrace-map", "map.json")
    outcomes = {e["nodeid"]: e["outcome"] for e in read_map(project.path / "map.json")["tests"]}
    assert outcomes == {
        "test_outcomes.py::test_passes": "passed",
        "test_outcomes.py::test_fails": "failed",
        "test_outcomes.py::test_setup_error": "error",
        "test_outcomes.py::test_teardown_error": "error",
        "test_outcomes.py::test_xpass": "xpassed",
        "test_outcomes.py::test_skips_itself": "skipped",
    }


def test_module_and_class_marks_apply_to_every_test(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_marks="""
        import pytest

        pytestmark = pytest.mark.verifies("SRS-1")

        def test_module_only():
            pass

        @pytest.mark.verifies("SRS-2, SRS-3")
        def test_comma_separated():
            pass

        @pytest.mark.verifies("SRS-2")
        @pytest.mark.verifies("SRS-3")
        def test_stacked():
            pass

        class TestAlarms:
            pytestmark = [pytest.mark.verifies("SRS-3")]

            def test_in_class(self):
                pass

            @pytest.mark.verifies("SRS-2")
            def test_method_and_class(self):
                pass
        """
    )
    result = project.runpytest("--medtrace-map", "map.json", "-W", "error")
    result.assert_outcomes(passed=5)
    ids = {key: set(e["ids"]) for key, e in by_nodeid(read_map(project.path / "map.json")).items()}
    assert ids == {
        "test_marks.py::test_module_only": {"SRS-1"},
        "test_marks.py::test_comma_separated": {"SRS-1", "SRS-2", "SRS-3"},
        "test_marks.py::test_stacked": {"SRS-1", "SRS-2", "SRS-3"},
        "test_marks.py::TestAlarms::test_in_class": {"SRS-1", "SRS-3"},
        "test_marks.py::TestAlarms::test_method_and_class": {"SRS-1", "SRS-2", "SRS-3"},
    }
    entry = by_nodeid(read_map(project.path / "map.json"))[
        "test_marks.py::TestAlarms::test_in_class"
    ]
    assert entry["function"] == "TestAlarms.test_in_class"


def test_the_map_path_from_the_ini_file_is_relative_to_it(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makeini("[pytest]\nmedtrace_map = out/map.json\n")
    project.makepyfile(test_plain=PLAIN_TEST)
    monkeypatch.chdir(project.mkdir("elsewhere"))
    result = project.runpytest(str(project.path))
    result.assert_outcomes(passed=1)
    assert not (project.path / "elsewhere" / "out").exists()
    entries = read_map(project.path / "out" / "map.json")["tests"]
    assert [(e["nodeid"], e["ids"], e["outcome"]) for e in entries] == [
        ("test_plain.py::test_plain", [], "passed")
    ]


def test_an_interrupted_run_still_writes_a_valid_map(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_stop="""
        import pytest

        @pytest.mark.verifies("SRS-1")
        def test_first():
            pass

        def test_interrupts():
            raise KeyboardInterrupt

        def test_never_run():
            pass
        """
    )
    result = project.runpytest_subprocess("-p", "no:cacheprovider", "--medtrace-map", "map.json")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    data = read_map(project.path / "map.json")
    assert data["exitstatus"] == pytest.ExitCode.INTERRUPTED
    assert [e["outcome"] for e in data["tests"]] == ["passed", None, None]
    assert leftovers(project.path) == []


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        ("OSError(28, 'No space left on device')", "No space left on device"),
        ("KeyboardInterrupt()", ""),
    ],
)
def test_a_failed_write_keeps_the_previous_map(
    project: pytest.Pytester, failure: str, message: str
) -> None:
    """The write is atomic: a full disk or an interrupt mid-write leaves the old file whole."""
    (project.path / "map.json").write_text('{"previous": true}\n', encoding="utf-8")
    project.makeconftest(
        f"""
        import os

        def _fail(fd):
            raise {failure}

        def pytest_sessionfinish():
            os.fsync = _fail  # only this subprocess, only once the tests ran
        """
    )
    project.makepyfile(PLAIN_TEST)
    result = project.runpytest_subprocess("-p", "no:cacheprovider", "--medtrace-map", "map.json")
    assert read_map(project.path / "map.json") == {"previous": True}
    assert leftovers(project.path) == []
    if message:
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stdout.fnmatch_lines([f"medtrace: cannot write the test map *map.json*{message}*"])


# --- checking the IDs -------------------------------------------------------------------------

TYPO = """\
import pytest

@pytest.mark.verifies("SRS-1, SRX-2")
@pytest.mark.parametrize("n", [1, 2])
def test_typo(n):
    pass

def test_other():
    pass
"""


def test_an_unknown_id_is_a_warning_naming_the_nearest_id(project: pytest.Pytester) -> None:
    project.makepyfile(test_typo=TYPO)
    result = project.runpytest()
    result.assert_outcomes(passed=3, warnings=1)  # one warning for both cases of test_typo
    result.stdout.fnmatch_lines(
        [
            "*test_typo.py:3: MedtraceUnknownIdWarning: test_typo.py::test_typo: unknown ID 'SRX-2' in "
            "@pytest.mark.verifies; did you mean 'SRS-2'?"
        ]
    )


@pytest.mark.parametrize("how", [["--medtrace-strict"], ["-o", "medtrace_strict=true"]])
def test_with_strict_an_unknown_id_fails_the_collection(
    project: pytest.Pytester, how: list[str]
) -> None:
    project.makepyfile(test_typo=TYPO)
    project.makepyfile(test_fine="def test_fine():\n    pass\n")
    result = project.runpytest(*how)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR collecting test_typo.py*",
            "test_typo.py::test_typo: unknown ID 'SRX-2' in @pytest.mark.verifies;"
            " did you mean 'SRS-2'?",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    assert result.stdout.str().count("unknown ID") == 2  # the error and its summary line


def test_strict_reports_every_unknown_id_of_a_module(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_many="""
        import pytest

        @pytest.mark.verifies("srs-3")
        def test_lower_case():
            pass

        class TestX:
            @pytest.mark.verifies("ZZZ-999")
            def test_far(self):
                pass
        """
    )
    result = project.runpytest("--medtrace-strict")
    result.stdout.fnmatch_lines(
        [
            "test_many.py::test_lower_case: unknown ID 'srs-3' *did you mean 'SRS-3'?",
            "test_many.py::TestX::test_far: unknown ID 'ZZZ-999' *no similar ID*",
        ]
    )


def test_with_warnings_as_errors_an_unknown_id_is_a_collection_error(
    project: pytest.Pytester,
) -> None:
    project.makepyfile(test_typo=TYPO)
    result = project.runpytest("-W", "error::medtrace.pytest_plugin.MedtraceUnknownIdWarning")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*unknown ID 'SRX-2'*did you mean 'SRS-2'?"])
    assert "Traceback" not in result.stdout.str()


def test_medtrace_root_points_at_the_project(pytester: pytest.Pytester) -> None:
    (pytester.path / "spec").mkdir()
    (pytester.path / "spec" / "medtrace.toml").write_text(CONFIG, encoding="utf-8")
    (pytester.path / "spec" / "docs").mkdir()
    (pytester.path / "spec" / "docs" / "reqs.yaml").write_text(ITEMS, encoding="utf-8")
    pytester.makepyfile(test_typo=TYPO)
    assert pytester.runpytest().parseoutcomes().get("warnings") is None  # not found: not checked
    result = pytester.runpytest("--medtrace-root", "spec", "--medtrace-strict")
    result.stdout.fnmatch_lines(["*unknown ID 'SRX-2'*did you mean 'SRS-2'?"])


def test_nearest_id() -> None:
    known = {"SRS-1", "SRS-2", "SRS-12", "RISK-3", "bolus-calculator"}
    assert nearest_id("srs-12", known) == "SRS-12"
    assert nearest_id("SRX-2", known) == "SRS-2"
    assert nearest_id("RISK-4", known) == "RISK-3"
    assert nearest_id("bolus-calculater", known) == "bolus-calculator"
    assert nearest_id("ZZZ-999", known) is None


# --- JUnit XML --------------------------------------------------------------------------------


def test_junit_xml_has_a_verifies_property_per_test(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_junit="""
        import pytest

        pytestmark = pytest.mark.verifies("SRS-3")

        @pytest.mark.verifies("SRS-1, SRS-2")
        @pytest.mark.parametrize("n", [1, 2])
        def test_linked(n):
            assert n == 1

        @pytest.mark.skip(reason="later")
        def test_skipped():
            pass
        """
    )
    project.runpytest("--junitxml", "results.xml")
    root = ET.parse(project.path / "results.xml").getroot()
    found = {
        case.get("name"): [
            (p.get("name"), p.get("value")) for p in case.iterfind("properties/property")
        ]
        for case in root.iter("testcase")
    }
    assert found == {
        "test_linked[1]": [("verifies", "SRS-1, SRS-2, SRS-3")],
        "test_linked[2]": [("verifies", "SRS-1, SRS-2, SRS-3")],
        "test_skipped": [("verifies", "SRS-3")],
    }


def test_without_junit_xml_no_property_is_added(project: pytest.Pytester) -> None:
    project.makeconftest(
        """
        def pytest_runtest_teardown(item):
            assert item.user_properties == []
        """
    )
    project.makepyfile(
        "import pytest\n\n@pytest.mark.verifies('SRS-1')\ndef test_linked():\n    pass\n"
    )
    project.runpytest().assert_outcomes(passed=1)


# --- projects without medtrace, or with a broken one ------------------------------------------


def test_without_a_medtrace_project_the_plugin_is_inert(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_any=TYPO)
    result = pytester.runpytest("-W", "error", "--medtrace-map", "map.json")
    result.assert_outcomes(passed=3)
    assert "warning" not in result.stdout.str().lower()
    entries = read_map(pytester.path / "map.json")["tests"]
    assert entries[0]["ids"] == ["SRS-1", "SRX-2"]  # recorded, not checked


def test_a_broken_configuration_is_one_warning_and_the_tests_run(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".toml", medtrace='[project]\nclas = "C"\n')
    pytester.makepyfile(test_typo=TYPO)
    pytester.makepyfile(
        test_more="import pytest\n\n@pytest.mark.verifies('X-1')\ndef test_x():\n    pass\n"
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=4, warnings=1)
    result.stdout.fnmatch_lines(
        ["*MedtraceConfigWarning: medtrace: *medtrace.toml: *Did you mean 'class'?*not checked"]
    )
    assert "Traceback" not in result.stdout.str()


def test_a_broken_configuration_with_strict_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", medtrace="[project\n")
    pytester.makepyfile(test_typo=TYPO)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--medtrace-strict")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: medtrace: *medtrace.toml: invalid TOML*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_strict_without_a_medtrace_project_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_typo=TYPO)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--medtrace-strict")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: medtrace: no medtrace.toml *"])
