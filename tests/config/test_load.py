"""Finding, reading and validating the configuration; every problem reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrace.config import (
    CONFIG_INVALID,
    Config,
    defaults,
    find_config,
    key_line,
    load_config,
    parse_config,
    setting_location,
    validate,
)
from medtrace.diagnostics import Diagnostic, Severity
from medtrace.errors import ConfigError, UsageError

pytestmark = pytest.mark.verifies("SRS-1", "SRS-2")

MINIMAL = '[project]\nclass = "B"\n'


def problems(tmp_path: Path, text: str, name: str = "medtrace.toml") -> list[Diagnostic]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        parse_config(path)
    assert info.value.diagnostics, "a ConfigError carries its diagnostics"
    assert str(info.value) == info.value.diagnostics[0].message
    return info.value.diagnostics


def parsed(tmp_path: Path, text: str, name: str = "medtrace.toml") -> Config:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_config(path)


# --- finding the file ------------------------------------------------------------------


def test_find_config_in_a_parent_folder(tmp_path: Path) -> None:
    (tmp_path / "medtrace.toml").write_text(MINIMAL)
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == (tmp_path / "medtrace.toml").resolve()


def test_find_config_prefers_the_nearest_folder(tmp_path: Path) -> None:
    (tmp_path / "medtrace.toml").write_text(MINIMAL)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "medtrace.toml").write_text(MINIMAL)
    assert find_config(tmp_path / "sub") == (tmp_path / "sub" / "medtrace.toml").resolve()


def test_pyproject_counts_only_with_a_tool_medtrace_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    with pytest.raises(UsageError, match="medtrace init"):
        find_config(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.medtrace.project]\nclass = "A"\n')
    assert find_config(tmp_path).name == "pyproject.toml"


def test_a_broken_pyproject_is_not_taken_for_a_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.medtrace\n")
    with pytest.raises(UsageError, match=r"no medtrace\.toml"):
        find_config(tmp_path)


def test_medtrace_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.medtrace.project]\nclass = "A"\n')
    (tmp_path / "medtrace.toml").write_text(MINIMAL)
    assert load_config(tmp_path).safety_class == "B"


def test_no_configuration_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        load_config(tmp_path)
    assert not isinstance(info.value, ConfigError)
    assert "run 'medtrace init'" in str(info.value)
    assert "-C DIR" in str(info.value)


# --- defaults ----------------------------------------------------------------------------


def test_defaults_fill_everything_but_the_class(tmp_path: Path) -> None:
    config = parsed(tmp_path, MINIMAL)
    assert config.safety_class == "B"
    assert config.project.name == ""
    assert config.paths.items == ["docs"]
    assert config.limits.max_file_bytes == 5_000_000
    assert config.root == tmp_path
    assert config.source == tmp_path / "medtrace.toml"
    assert set(config.kinds) == set(defaults.KINDS)
    assert config.kind_by_prefix == {
        "SYS": "system-requirement",
        "SRS": "software-requirement",
        "RISK": "risk",
        "SOUP": "soup",
        "TC": "test-case",
        "ANOM": "anomaly",
        "FLOW": "flow",
    }
    assert config.risk.acceptability(4, 4) == "unacceptable"
    assert config.risk.acceptability(0, 0) == "acceptable"
    assert config.cache_dir == tmp_path / ".medtrace" / "cache"


def test_every_field_knows_the_name_users_write(tmp_path: Path) -> None:
    config = parsed(tmp_path, MINIMAL)
    for kind in config.kinds.values():
        assert "title" in kind.fields, "common fields are merged into every kind"
        for role, spec in kind.fields.items():
            assert spec.name == role


def test_tool_medtrace_in_pyproject(tmp_path: Path) -> None:
    text = '[project]\nname = "pkg"\n\n[tool.medtrace.project]\nname = "Device"\nclass = "C"\n'
    config = parsed(tmp_path, text, "pyproject.toml")
    assert (config.project.name, config.safety_class) == ("Device", "C")
    assert config.source == tmp_path / "pyproject.toml"


def test_problems_in_pyproject_name_that_file_and_its_line(tmp_path: Path) -> None:
    text = '[tool.medtrace.project]\nclass = "A"\n\n[tool.medtrace.paths]\nitms = ["docs"]\n'
    (found,) = problems(tmp_path, text, "pyproject.toml")
    assert (found.path, found.line) == ("pyproject.toml", 5)
    assert found.hint == "Did you mean 'items'?"


# --- problems ----------------------------------------------------------------------------


def test_a_typo_in_a_key_names_the_closest_key(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, MINIMAL + '\n[paths]\nitms = ["docs"]\n')
    assert found.code == CONFIG_INVALID.code == "MT090"
    assert found.rule == "config-invalid"
    assert found.severity is Severity.ERROR
    assert found.found == "unknown key 'paths.itms'"
    assert found.hint == "Did you mean 'items'?"
    assert (found.path, found.line) == ("medtrace.toml", 5)


def test_lines_are_right_after_blank_lines_and_comments(tmp_path: Path) -> None:
    text = MINIMAL + '\n\n# where items live\n\n[paths]\n\nitms = ["docs"]\n'
    (found,) = problems(tmp_path, text)
    assert found.line == 9


def test_a_typo_in_a_table_name(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, MINIMAL + '[rule]\nMT015 = "warning"\n')
    assert found.found == "unknown key 'rule'"
    assert found.hint == "Did you mean 'rules'?"
    assert found.line == 3


def test_an_unknown_key_without_a_close_name_lists_the_known_ones(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, MINIMAL + "[limits]\nzzz = 1\n")
    assert found.hint == "The known keys here are jobs, max_file_bytes."


def test_a_typo_in_a_kind_and_in_a_field_spec(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + '[kinds.software-requirement]\nprefx = "SWR"\n'
        + '[kinds.software-requirement.fields.parents]\nnme = "derived_from"\n'
    )
    found = problems(tmp_path, text)
    assert [(d.found, d.hint, d.line) for d in found] == [
        ("unknown key 'kinds.software-requirement.prefx'", "Did you mean 'prefix'?", 4),
        ("unknown key 'kinds.software-requirement.fields.parents.nme'", "Did you mean 'name'?", 6),
    ]


def test_missing_class(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, '[project]\nname = "x"\n')
    assert found.found == "'project.class' is missing"
    assert found.expected == "a value for 'project.class'"
    assert '"A", "B" or "C"' in found.hint
    assert found.line == 1


def test_missing_project_table(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, '[paths]\nitems = ["docs"]\n')
    assert found.found == "'project' is missing"
    assert "class" in found.hint


def test_a_class_that_does_not_exist(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, '[project]\nclass = "D"\n')
    assert found.found == "'project.class' is 'D'"
    assert found.expected == "one of 'A', 'B' or 'C'"
    assert found.message == "'project.class' is 'D'; expected one of 'A', 'B' or 'C'"
    assert found.line == 2


def test_invalid_toml_gives_its_line(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, '[project]\nclass = "B"\nname = "unclosed\n')
    assert found.found.startswith("invalid TOML: ")
    assert found.expected == "a TOML document"
    assert found.line == 3
    assert "quotes" in found.hint


def test_a_configuration_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "medtrace.toml"
    path.write_bytes(b'[project]\nclass = "B"\nname = "caf\xe9"\n')
    with pytest.raises(ConfigError) as info:
        parse_config(path)
    assert info.value.diagnostics[0].found.startswith("cannot read the configuration")


def test_a_matrix_of_the_wrong_shape(tmp_path: Path) -> None:
    rows, cells = problems(tmp_path, MINIMAL + '[risk]\nmatrix = [["acceptable"]]\n')
    assert rows.found == (
        "'risk.matrix' is invalid: has 1 rows, not 5: one per severity level from the lowest "
        "(negligible, minor, serious, critical, catastrophic)"
    )
    assert cells.found.startswith("'risk.matrix' is invalid: row 1 (negligible) has 1 cells, not 5")
    assert rows.line == cells.line == 4


def test_a_matrix_with_a_short_row(tmp_path: Path) -> None:
    rows = ['["acceptable", "acceptable", "acceptable", "acceptable", "review"]'] * 4
    rows.append('["review", "unacceptable"]')
    text = MINIMAL + "[risk]\nmatrix = [\n" + ",\n".join(rows) + "\n]\n"
    (found,) = problems(tmp_path, text)
    assert "row 5 (catastrophic) has 2 cells, not 5" in found.found


def test_a_matrix_with_an_unknown_verdict(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + '[risk]\nseverity = ["low", "high"]\nprobability = ["rare", "often"]\n'
        + 'matrix = [["acceptable", "fine"], ["review", "unacceptable"]]\n'
    )
    (found,) = problems(tmp_path, text)
    assert found.found == (
        "'risk.matrix' is invalid: row 1 (low) has the cell 'fine', which is not acceptable, "
        "review or unacceptable"
    )
    assert found.line == 6


def test_custom_scales_with_a_matching_matrix(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + '[risk]\nseverity = ["low", "high"]\nprobability = ["rare", "often", "always"]\n'
        + 'matrix = [["acceptable", "acceptable", "review"], '
        + '["review", "unacceptable", "unacceptable"]]\n'
    )
    config = parsed(tmp_path, text)
    assert config.risk.acceptability(1, 1) == "unacceptable"
    assert config.risk.acceptability(0, 2) == "review"


def test_every_problem_is_reported_at_once_in_line_order(tmp_path: Path) -> None:
    text = '[project]\nclass = "B"\nclas = "C"\n\n[limits]\nmax_file_bytes = 0\n[paths]\nitems = "docs"\n'
    found = problems(tmp_path, text)
    assert [(d.line, d.message) for d in found] == [
        (3, "unknown key 'project.clas'; expected one of the known keys"),
        (6, "'limits.max_file_bytes' is 0; expected a number greater than 0"),
        (8, "'paths.items' is 'docs'; expected a list, e.g. [\"a\", \"b\"]"),
    ]


def test_a_rule_severity_that_does_not_exist(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, MINIMAL + '[rules]\nMT010 = "fatal"\n')
    assert found.found == "'rules.MT010' is 'fatal'"
    assert found.expected == "one of 'error', 'warning', 'note' or 'off'"


def test_rule_severities_by_code_and_by_name_are_kept(tmp_path: Path) -> None:
    config = parsed(tmp_path, MINIMAL + '[rules]\nMT015 = "warning"\nlink-dangling = "off"\n')
    assert config.rules == {"MT015": "warning", "link-dangling": "off"}


# --- kinds, prefixes and fields ------------------------------------------------------------


def test_a_renamed_prefix(tmp_path: Path) -> None:
    config = parsed(tmp_path, MINIMAL + '[kinds.software-requirement]\nprefix = "SWR"\n')
    assert config.kind_by_prefix["SWR"] == "software-requirement"
    assert "SRS" not in config.kind_by_prefix
    kind = config.kinds["software-requirement"]
    assert kind.id_re.fullmatch("SWR-12")
    assert not kind.id_re.fullmatch("SRS-12")
    assert "type" in kind.fields, "renaming the prefix keeps the default fields"


def test_a_prefix_that_is_not_a_word(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, MINIMAL + '[kinds.software-requirement]\nprefix = "S W"\n')
    assert found.found.startswith("'kinds.software-requirement.prefix' is invalid: a prefix is")
    assert found.line == 4


def test_a_renamed_field(tmp_path: Path) -> None:
    text = MINIMAL + '[kinds.software-requirement.fields.parents]\nname = "derived_from"\n'
    config = parsed(tmp_path, text)
    spec = config.kinds["software-requirement"].fields["parents"]
    assert spec.name == "derived_from"
    assert spec.is_link and spec.derivation, "renaming keeps the role's type and targets"
    assert spec.targets == ["system-requirement", "software-requirement"]


def test_a_new_kind_gets_the_common_fields(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + '[kinds.hazard]\ntitle = "Hazard"\nprefix = "HAZ"\n'
        + '[kinds.hazard.fields.source]\ntype = "links"\ntargets = ["risk"]\n'
    )
    config = parsed(tmp_path, text)
    assert config.kind_by_prefix["HAZ"] == "hazard"
    assert set(config.kinds["hazard"].fields) == {"title", "text", "status", "notes", "source"}


def test_a_link_to_a_kind_that_does_not_exist(tmp_path: Path) -> None:
    text = MINIMAL + '[kinds.hazard.fields.source]\ntype = "links"\ntargets = ["nokind"]\n'
    (found,) = problems(tmp_path, text)
    assert "target kind 'nokind' is not a kind" in found.found


def test_an_enum_without_values(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, MINIMAL + '[kinds.risk.fields.grade]\ntype = "enum"\n')
    assert found.found == "'kinds.risk.fields.grade' is invalid: an enum needs values"
    assert found.line == 3


def test_a_pattern_that_is_not_a_regular_expression(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, MINIMAL + '[kinds.software-item]\npattern = "[a-z"\n')
    assert "not a regular expression" in found.found


def test_validate_without_a_file() -> None:
    config = validate({"project": {"class": "A"}})
    assert config.safety_class == "A"
    with pytest.raises(ConfigError) as info:
        validate({"project": {}})
    assert info.value.diagnostics[0].path == "medtrace.toml"


def test_key_line(tmp_path: Path) -> None:
    config = parsed(tmp_path, MINIMAL + '\n[rules]\nlink-dangling = "warning"\n')
    assert key_line(config, ["rules", "link-dangling"]) == 5
    assert key_line(config, ["rules", "nothing"]) == 4, "else the line of its table"
    assert key_line(config, ["nothing"]) == 0
    config.source = None
    assert key_line(config, ["rules", "link-dangling"]) == 0


# --- odd files: never an internal error --------------------------------------------------------


@pytest.mark.verifies("SRS-64")
def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "medtrace.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert parse_config(path).safety_class == "B"
    pyproject = tmp_path / "sub" / "pyproject.toml"
    pyproject.parent.mkdir()
    pyproject.write_bytes(b"\xef\xbb\xbf[tool.medtrace.project]\nclass = 'A'\n")
    assert find_config(pyproject.parent) == pyproject
    assert parse_config(pyproject).safety_class == "A"


@pytest.mark.verifies("SRS-64")
@pytest.mark.parametrize(
    ("text", "line", "found"),
    [
        ('tool = "medtrace"\n', 1, "'tool' is 'medtrace'"),
        ('tool = ["medtrace"]\n', 1, "'tool' is the list ['medtrace']"),
        ("[tool]\nmedtrace = 1\n", 2, "'tool.medtrace' is 1"),
        ("[tool]\nmedtrace = []\n", 2, "'tool.medtrace' is an empty list"),
    ],
)
def test_a_tool_table_that_is_not_a_table(tmp_path: Path, text: str, line: int, found: str) -> None:
    (d,) = problems(tmp_path, text, "pyproject.toml")
    assert (d.code, d.path, d.line, d.found) == ("MT090", "pyproject.toml", line, found)
    assert d.expected == "a table [tool.medtrace] of medtrace's settings"
    assert d.hint.endswith(".") and d.hint[0].isupper()


@pytest.mark.verifies("SRS-64")
def test_a_pyproject_whose_tool_is_not_a_table_is_not_a_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('tool = "medtrace"\n')
    with pytest.raises(UsageError):
        find_config(tmp_path)


@pytest.mark.verifies("SRS-64")
def test_toml_nested_too_deep_is_located(tmp_path: Path) -> None:
    text = MINIMAL + "[paths]\nexclude = " + "[" * 1000 + "]" * 1000 + "\n"
    (d,) = problems(tmp_path, text)
    assert (d.code, d.line) == ("MT090", 4)
    assert d.found == "values nested too deeply to read"


@pytest.mark.verifies("SRS-63")
@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ('[project]\nclass = "c"\n', "Did you mean 'C'?"),
        (MINIMAL + '[rules]\nMT010 = "eror"\n', "Did you mean 'error'?"),
        (MINIMAL + '[kinds.x.fields.a]\ntype = "enm"\n', "Did you mean 'enum'?"),
        (MINIMAL + '[rules]\nMT010 = "zzz"\n', "Write one of 'error', 'warning', 'note', 'off'."),
    ],
)
def test_a_value_out_of_its_choices_gets_the_closest(tmp_path: Path, text: str, hint: str) -> None:
    (d,) = problems(tmp_path, text)
    assert d.hint == hint


@pytest.mark.verifies("SRS-63")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINIMAL + "[kinds]\nx = 1\n", "a table of keys and values"),
        (MINIMAL + "[paths]\nitems = 'docs'\n", 'a list, e.g. ["a", "b"]'),
        (MINIMAL + "[kinds.x]\ntitle = 3\n", "text in quotes"),
        (MINIMAL + "[kinds.x]\ndigits = 'many'\n", "a whole number"),
        (MINIMAL + "[kinds.x]\ndigits = 0\n", "a number greater than or equal to 1"),
    ],
)
def test_problems_never_speak_schema_jargon(tmp_path: Path, text: str, expected: str) -> None:
    (d,) = problems(tmp_path, text)
    assert d.expected == expected
    for jargon in ("dictionary", "instance of", "KindSpec", "valid list", "string_type"):
        assert jargon not in d.message


@pytest.mark.verifies("SRS-64")
def test_setting_location(tmp_path: Path) -> None:
    path = tmp_path / "medtrace.toml"
    path.write_text(
        MINIMAL + '\n[kinds.x]\nitems = "no"\n[paths]\nsources = []\nitems = [\n  "docs",\n'
        '  "more",\n]\n'
    )
    config = validate(
        {"project": {"class": "B"}, "paths": {"items": ["docs", "more"]}}, path.read_text()
    )
    config.source = path
    assert setting_location(config, ["paths", "items"]) == {"path": "medtrace.toml", "line": 8}
    assert setting_location(config, ["paths", "items"], "more") == {
        "path": "medtrace.toml",
        "line": 10,
    }
    config.source = None
    assert setting_location(config, ["paths", "items"]) == {"path": "", "line": 0}


@pytest.mark.verifies("SRS-64")
def test_a_setting_is_located_in_the_text_that_was_parsed(tmp_path: Path) -> None:
    config = parsed(tmp_path, MINIMAL + '\n[rules]\nlink-dangling = "warning"\n')
    assert config.source is not None
    config.source.write_text('\n\n\n[rules]\n\n\n\nlink-dangling = "error"\n')  # saved since
    assert key_line(config, ["rules", "link-dangling"]) == 5
    assert setting_location(config, ["rules", "link-dangling"])["line"] == 5


@pytest.mark.verifies("SRS-64")
def test_a_table_on_the_first_line_after_a_byte_order_mark_is_found(tmp_path: Path) -> None:
    text = '[rules]\nlink-dangling = "warning"\n' + MINIMAL
    (tmp_path / "medtrace.toml").write_text("\ufeff" + text, "utf-8")
    config = parse_config(tmp_path / "medtrace.toml")
    assert key_line(config, ["rules", "nothing"]) == 1, "the line of its table"
    config.source_text = None
    assert key_line(config, ["rules", "nothing"]) == 1, "read again, without the mark"
