"""Direct and dev-only dependencies from the manifest beside a lockfile that does not say."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import shared_data

from medtrace.soup import read_path

pytestmark = pytest.mark.verifies("SRS-131")


def _beside(tmp_path: Path, sample: str, manifest: str, text: str) -> str:
    source = shared_data(sample)
    shutil.copy(source, tmp_path / source.name)
    (tmp_path / manifest).write_text(text, encoding="utf-8")
    return source.name


def test_yarn_classic_with_its_package_json(tmp_path: Path) -> None:
    rel = _beside(
        tmp_path,
        "lockfiles/yarn-v1-prop-types/yarn.lock",
        "package.json",
        '{"dependencies": {"react-is": "^16.13.1"}, "devDependencies": {"eslint": "^8.25.0"}}',
    )
    by_name = {p.name: p for p in read_path(tmp_path, rel).packages}
    assert (by_name["react-is"].direct, by_name["react-is"].dev) == (True, False)
    assert (by_name["eslint"].direct, by_name["eslint"].dev) == (True, True)
    assert (by_name["ajv"].direct, by_name["ajv"].dev) == (False, True)  # only eslint's


def test_poetry_with_its_pyproject(tmp_path: Path) -> None:
    rel = _beside(
        tmp_path,
        "lockfiles/poetry-2.1-poetry/poetry.lock",
        "pyproject.toml",
        '[project]\ndependencies = ["build>=1", "Keyring"]\n'
        '[tool.poetry.group.test.dependencies]\npytest = "^8"\n',
    )
    lock = read_path(tmp_path, rel)
    assert sorted(p.name for p in lock.packages if p.direct) == ["build", "keyring", "pytest"]


def test_pipfile_lock_with_its_pipfile(tmp_path: Path) -> None:
    rel = _beside(
        tmp_path, "lockfiles/pipenv/Pipfile.lock", "Pipfile", '[packages]\ncertifi = "*"\n'
    )
    lock = read_path(tmp_path, rel)
    assert [p.name for p in lock.packages if p.direct] == ["certifi"]


def test_a_broken_manifest_leaves_the_lockfile_read(tmp_path: Path) -> None:
    rel = _beside(tmp_path, "lockfiles/yarn-v1-prop-types/yarn.lock", "package.json", "{")
    lock = read_path(tmp_path, rel)
    assert lock.diagnostics == [] and len(lock.packages) == 545
    assert {p.direct for p in lock.packages} == {None}
