"""The next free ID, in the project's form, and where a new item goes."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load, write_project

from medtrace.config import Config
from medtrace.errors import UsageError
from medtrace.loading.parse import parse_file
from medtrace.model import Model
from medtrace.review.newid import kind_named, next_id, plan_new

pytestmark = pytest.mark.verifies("SRS-254")


def _project(root: Path, items: str) -> tuple[Config, Model]:
    project = load(write_project(root, {"docs/items.yaml": items}))
    return project.config, project.model


def test_the_highest_number_plus_one(tmp_path: Path) -> None:
    config, model = _project(
        tmp_path, "- id: SYS-2\n  title: a\n- id: SYS-10\n  title: b\n- id: SYS-3\n  title: c\n"
    )
    assert next_id(config, model, "system-requirement") == "SYS-11"
    assert next_id(config, model, "software-requirement") == "SRS-1"


def test_the_project_padding_is_kept(tmp_path: Path) -> None:
    config, model = _project(tmp_path, "- id: SYS-009\n  title: a\n- id: SYS-010\n  title: b\n")
    assert next_id(config, model, "system-requirement") == "SYS-011"


def test_a_duplicate_counts_as_taken(tmp_path: Path) -> None:
    config, model = _project(tmp_path, "- id: SYS-4\n  title: a\n- id: SYS-4\n  title: b\n")
    assert next_id(config, model, "system-requirement") == "SYS-5"


def test_unnumbered_kinds_are_refused(tmp_path: Path) -> None:
    config, model = _project(tmp_path, "- id: app\n  kind: software-item\n  title: App\n")
    with pytest.raises(UsageError, match="not numbered"):
        next_id(config, model, "software-item")


def test_a_kind_by_prefix(tmp_path: Path) -> None:
    config, _ = _project(tmp_path, "- id: SYS-1\n  title: a\n")
    assert kind_named(config, "srs") == "software-requirement"
    with pytest.raises(UsageError, match="unknown kind"):
        kind_named(config, "widget")


def test_appended_to_the_yaml_list_with_its_indentation(tmp_path: Path) -> None:
    text = "kind: system-requirement\nitems:\n  - id: SYS-1\n    title: a\n"
    config, model = _project(tmp_path, text)
    made = plan_new(
        config, model, "system-requirement", 'Say "hi": now', None, {"docs/items.yaml": text}
    )
    assert made.id == "SYS-2" and made.path == "docs/items.yaml"
    assert made.after.startswith(text)
    records = parse_file(made.after, made.path).records
    assert records[-1].data == {"id": "SYS-2", "title": 'Say "hi": now', "status": "draft"}


def test_a_markdown_file_in_a_folder(tmp_path: Path) -> None:
    config, model = _project(tmp_path, "- id: SYS-1\n  title: a\n")
    made = plan_new(config, model, "software-requirement", "Limit", "docs/srs", {})
    assert (made.id, made.path, made.before) == ("SRS-1", "docs/srs/SRS-1.md", None)
    assert "# Limit" in made.after and "status: draft" in made.after


def test_a_yaml_file_whose_list_is_not_last_is_refused(tmp_path: Path) -> None:
    text = "items:\n  - id: SYS-1\n    title: a\nkind: system-requirement\n"
    config, model = _project(tmp_path, text)
    with pytest.raises(UsageError, match="give --file"):
        plan_new(config, model, "system-requirement", "x", None, {"docs/items.yaml": text})
