"""The SOUP rules of ``check`` (MT150-MT159) on small projects with real lockfile syntax."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import findings, run_check, shared_data, write_project

from medtrace.checks import RULES

CONFIG = """\
[project]
name = "fixture"
class = "{cls}"

[paths]
items = ["docs"]
lockfiles = ["requirements.txt"]
"""

LOCK = """\
# via comments as pip-compile writes them
flask==3.0.3 \\
    --hash=sha256:34e815dfaa43340d1d15a5c3a02b8476004037eb4840b34910c6e21679d288f3
    # via -r requirements.in
werkzeug==3.0.4 \\
    --hash=sha256:02c9eb92b7d6c06f31a782811505d2157837cea66aaede3e217c7c27c039476c
    # via flask
"""

SOUP = """\
kind: soup
items:
  - id: flask
    title: Flask
    manufacturer: Pallets
    version: "3.0.3"
    purpose: Web framework.
    requirements: Routes requests.
    hardware: Any.
    software: CPython 3.11.
    anomalies: {{where: GitHub issues, when: "2026-01-10", verdict: None applies.}}
    support: Community
    end_of_support: "2030-01-01"
    license: BSD-3-Clause
    purl: pkg:pypi/flask@3.0.3
    items: [service]
{extra}"""

ITEMS = """\
kind: software-item
items:
  - id: service
    title: Service
    class: {cls}
"""


def _project(tmp_path: Path, *, cls: str = "B", extra: str = "", lock: str = LOCK) -> Path:
    return write_project(
        tmp_path,
        {
            "requirements.txt": lock,
            "docs/soup.yaml": SOUP.format(extra=extra),
            "docs/items.yaml": ITEMS.format(cls=cls),
        },
        config=CONFIG.format(cls=cls),
    )


WERKZEUG = """\
  - id: werkzeug
    title: Werkzeug
    manufacturer: {manufacturer}
    version: "{version}"
    purpose: WSGI toolkit.
    requirements: {requirements}
    hardware: Any.
    software: CPython 3.11.
    anomalies: {{where: GitHub issues, when: "{when}", verdict: "{verdict}"}}
    {adopted}support: Community
    end_of_support: "{end}"
    license: BSD-3-Clause
    package: werkzeug
    items: [service]
"""


def _werkzeug(**kw: str) -> str:
    values = {
        "manufacturer": "Pallets",
        "version": "3.0.4",
        "requirements": "Parses requests.",
        "when": "2026-01-10",
        "verdict": "None applies.",
        "adopted": "",
        "end": "2030-01-01",
    }
    values.update(kw)
    return WERKZEUG.format(**values)


def _soup_codes(root: Path) -> list[tuple[str, str, int]]:
    return [
        (d.code, d.path, d.line) for d in run_check(root).diagnostics if d.code.startswith("MT15")
    ]


@pytest.mark.verifies("SRS-133", "SRS-137")
def test_the_rules_are_registered_in_their_range() -> None:
    codes = {c for c in RULES if c.startswith("MT15")}
    assert codes == {f"MT15{n}" for n in range(10)}


@pytest.mark.verifies("SRS-133")
def test_a_complete_list_is_clean(tmp_path: Path) -> None:
    root = _project(tmp_path, extra=_werkzeug())
    (root / "docs/soup.yaml").write_text(
        (root / "docs/soup.yaml")
        .read_text()
        .replace(
            "    package: werkzeug\n", "    package: werkzeug\n    purl: pkg:pypi/werkzeug@3.0.4\n"
        )
    )
    assert _soup_codes(root) == []


@pytest.mark.verifies("SRS-133")
def test_an_unlisted_transitive_dependency_names_its_chain_and_line(tmp_path: Path) -> None:
    (d,) = findings(_project(tmp_path), "MT151")
    assert (d.path, d.line) == ("requirements.txt", 5)
    assert d.found == (
        "transitive dependency werkzeug 3.0.4 (pypi) is not in the SOUP list "
        "(pulled in by flask → werkzeug)"
    )
    assert "package: werkzeug" in d.expected and "--sync" in d.hint


@pytest.mark.verifies("SRS-133")
def test_another_version_is_reported_at_the_soup_version(tmp_path: Path) -> None:
    root = _project(tmp_path, extra=_werkzeug(version="3.0.1"))
    (d,) = findings(root, "MT152")
    assert d.item == "werkzeug" and d.path == "docs/soup.yaml"
    assert "docs/soup.yaml" in d.path and "3.0.1" in d.found and "3.0.4" in d.found
    assert (
        d.line
        == (root / "docs/soup.yaml").read_text().splitlines().index('    version: "3.0.1"') + 1
    )


@pytest.mark.verifies("SRS-133")
def test_pep_503_names_and_pep_440_versions_match(tmp_path: Path) -> None:
    lock = LOCK.replace("werkzeug==3.0.4", "Werkzeug==3.0.4.0")
    root = _project(tmp_path, extra=_werkzeug(), lock=lock)
    assert findings(root, "MT151") == [] and findings(root, "MT152") == []


@pytest.mark.verifies("SRS-133")
def test_a_package_no_longer_locked(tmp_path: Path) -> None:
    extra = _werkzeug() + _werkzeug().replace("werkzeug", "jinja2").replace("Werkzeug", "Jinja")
    (d,) = findings(_project(tmp_path, extra=extra), "MT153")
    assert d.item == "jinja2" and "in no lockfile" in d.found


@pytest.mark.verifies("SRS-134")
@pytest.mark.parametrize("version", ["latest", ">=3.0", "3.x", "^3.0.4", "*"])
def test_an_inexact_version(tmp_path: Path, version: str) -> None:
    (d,) = findings(_project(tmp_path, extra=_werkzeug(version=version)), "MT154")
    assert d.item == "werkzeug" and version in d.found


@pytest.mark.verifies("SRS-134")
def test_unknown_manufacturer_and_no_package_url(tmp_path: Path) -> None:
    got = findings(_project(tmp_path, extra=_werkzeug(manufacturer="unknown")), "MT158")
    assert sorted(d.found for d in got) == [
        "SOUP package werkzeug has no package URL or CPE",
        "SOUP werkzeug has manufacturer 'unknown'",
    ]


@pytest.mark.verifies("SRS-135")
def test_a_review_older_than_the_adoption(tmp_path: Path) -> None:
    extra = _werkzeug(when="2026-01-10", adopted='adopted: "2026-02-01"\n    ')
    (d,) = findings(_project(tmp_path, extra=extra), "MT155")
    assert d.item == "werkzeug" and "2026-02-01" in d.found and "2026-01-10" in d.found


def _osv(root: Path, published: str) -> None:
    (root / "osv.json").write_text(
        '{"results": [{"packages": [{"package": {"name": "Werkzeug", "version": "3.0.4", '
        '"ecosystem": "PyPI"}, "vulnerabilities": [{"id": "GHSA-f9vj-2wh5-fj8j", '
        f'"aliases": ["CVE-2024-49766"], "published": "{published}", "summary": "Path '
        'traversal"}]}]}]}'
    )
    config = root / "medtrace.toml"
    config.write_text(config.read_text() + 'audit = ["osv.json"]\n')


@pytest.mark.verifies("SRS-135")
def test_an_advisory_the_review_does_not_name(tmp_path: Path) -> None:
    root = _project(tmp_path, extra=_werkzeug())
    _osv(root, "2025-10-25")
    (d,) = findings(root, "MT155")
    assert "GHSA-f9vj-2wh5-fj8j" in d.found and "osv.json" in d.found and d.item == "werkzeug"


@pytest.mark.verifies("SRS-135")
def test_an_advisory_named_in_a_later_review_is_fine(tmp_path: Path) -> None:
    root = _project(tmp_path, extra=_werkzeug(verdict="CVE-2024-49766 is Windows only."))
    _osv(root, "2025-10-25")
    assert findings(root, "MT155") == []


@pytest.mark.verifies("SRS-135")
def test_an_advisory_published_after_the_review_that_names_it(tmp_path: Path) -> None:
    root = _project(tmp_path, extra=_werkzeug(verdict="GHSA-f9vj-2wh5-fj8j: no effect."))
    _osv(root, "2026-03-01")
    (d,) = findings(root, "MT155")
    assert "GHSA-f9vj-2wh5-fj8j" in d.found


@pytest.mark.verifies("SRS-136")
def test_end_of_support_follows_the_injected_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, extra=_werkzeug(end="2027-06-30"))
    monkeypatch.setenv("MEDTRACE_TODAY", "2027-06-30")
    assert findings(root, "MT156") == []
    monkeypatch.setenv("MEDTRACE_TODAY", "2027-07-01")
    (d,) = findings(root, "MT156")
    assert d.item == "werkzeug" and "2027-06-30" in d.found and "2027-07-01" in d.expected


@pytest.mark.verifies("SRS-137")
def test_soup_of_a_class_c_item_needs_requirements(tmp_path: Path) -> None:
    extra = _werkzeug(requirements='""')
    assert findings(_project(tmp_path / "b", extra=extra), "MT157") == []
    (d,) = findings(_project(tmp_path / "c", cls="C", extra=extra), "MT157")
    assert d.item == "werkzeug" and "service" in d.found


@pytest.mark.verifies("SRS-137")
def test_soup_no_item_uses(tmp_path: Path) -> None:
    extra = _werkzeug().replace("    items: [service]\n", "")
    (d,) = findings(_project(tmp_path, extra=extra), "MT159")
    assert d.item == "werkzeug"
    uses = ITEMS.format(cls="B") + "    uses: [werkzeug]\n"
    root = _project(tmp_path / "uses", extra=extra)
    (root / "docs/items.yaml").write_text(uses)
    assert findings(root, "MT159") == []


@pytest.mark.verifies("SRS-130")
def test_a_broken_lockfile_is_reported_and_the_rest_still_checked(tmp_path: Path) -> None:
    root = _project(tmp_path, extra=_werkzeug(version="latest"))
    (root / "uv.lock").write_text('version = 1\n[[package]]\nname = "x\n')
    config = root / "medtrace.toml"
    config.write_text(
        config.read_text().replace('["requirements.txt"]', '["requirements.txt", "uv.lock"]')
    )
    got = _soup_codes(root)
    soup = (root / "docs/soup.yaml").read_text().splitlines()
    assert ("MT150", "uv.lock", 3) in got
    assert ("MT154", "docs/soup.yaml", soup.index('    version: "latest"') + 1) in got


@pytest.mark.verifies("SRS-133")
def test_dev_only_dependencies_are_not_soup_unless_configured(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "package-lock.json": """\
            {"name": "app", "lockfileVersion": 3, "packages": {
              "": {"name": "app", "devDependencies": {"jest": "29.7.0"}},
              "node_modules/jest": {"version": "29.7.0", "dev": true}}}
            """,
            "docs/soup.yaml": "kind: soup\nitems: []\n",
        },
        config=CONFIG.format(cls="A").replace("requirements.txt", "package-lock.json"),
    )
    assert findings(root, "MT151") == []
    config = root / "medtrace.toml"
    config.write_text(config.read_text() + "\n[soup]\ndev = true\n")
    (d,) = findings(root, "MT151")
    assert "jest 29.7.0 (npm)" in d.found and d.line == 3


@pytest.mark.verifies("SRS-133")
def test_a_changed_lockfile_is_not_served_from_the_cache(tmp_path: Path) -> None:
    root = _project(tmp_path, extra=_werkzeug())
    assert [d for d in run_check(root, use_cache=True).diagnostics if d.code == "MT151"] == []
    lock = root / "requirements.txt"
    lock.write_text(lock.read_text() + "idna==3.7\n    # via werkzeug\n")
    again = [d for d in run_check(root, use_cache=True).diagnostics if d.code == "MT151"]
    assert [d.line for d in again] == [8]


@pytest.mark.verifies("SRS-133")
def test_an_id_names_a_package_only_for_soup_that_ships_in_a_lockfile(tmp_path: Path) -> None:
    by_id = _werkzeug(version="2.0.0").replace("    package: werkzeug\n", "")
    (d,) = findings(_project(tmp_path / "lockfile", extra=by_id), "MT152")
    assert d.item == "werkzeug"  # matched by its ID, and its version differs
    vendored = by_id.replace(
        "    items: [service]\n", "    origin: vendored\n    items: [service]\n"
    )
    root = _project(tmp_path / "vendored", extra=vendored)
    assert findings(root, "MT152") == []
    assert [d.found.split(" (")[0] for d in findings(root, "MT151")] == [
        "transitive dependency werkzeug 3.0.4"
    ]


def _npm_project(tmp_path: Path, version: str) -> Path:
    return write_project(
        tmp_path,
        {
            "package-lock.json": (
                '{"lockfileVersion": 3, "packages": {"": {"dependencies": {"debug": "*"}}, '
                f'"node_modules/debug": {{"version": "{version}"}}}}}}'
            ),
            "audit.json": shared_data("audit", "npm-audit-v7-many-vulns.json").read_text(),
            "docs/soup.yaml": "kind: soup\nitems:\n"
            + _werkzeug(version=version).replace("werkzeug", "debug").replace("Werkzeug", "debug"),
            "docs/items.yaml": ITEMS.format(cls="B"),
        },
        config=CONFIG.format(cls="B").replace(
            'lockfiles = ["requirements.txt"]',
            'lockfiles = ["package-lock.json"]\naudit = ["audit.json"]',
        ),
    )


@pytest.mark.verifies("SRS-135")
def test_an_npm_advisory_counts_only_inside_its_range(tmp_path: Path) -> None:
    (d,) = findings(_npm_project(tmp_path / "in", "4.3.0"), "MT155")
    assert "GHSA-gxpj-cx7g-858c" in d.found and d.item == "debug"
    assert findings(_npm_project(tmp_path / "out", "4.3.1"), "MT155") == []


@pytest.mark.verifies("SRS-133")
def test_a_changed_manifest_is_not_served_from_the_cache(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "app/yarn.lock": '# yarn lockfile v1\n\nleft-pad@^1.3.0:\n  version "1.3.0"\n',
            "app/package.json": '{"devDependencies": {"left-pad": "^1.3.0"}}',
            "docs/soup.yaml": "kind: soup\nitems: []\n",
        },
        config=CONFIG.format(cls="A").replace("requirements.txt", "app/yarn.lock"),
    )
    assert [d for d in run_check(root, use_cache=True).diagnostics if d.code == "MT151"] == []
    (root / "app/package.json").write_text('{"dependencies": {"left-pad": "^1.3.0"}}')
    (d,) = [d for d in run_check(root, use_cache=True).diagnostics if d.code == "MT151"]
    assert d.found.startswith("direct dependency left-pad 1.3.0 (npm)")
