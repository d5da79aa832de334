"""A small device project in a real git repository, for the impact tests."""

from __future__ import annotations

from pathlib import Path

from helpers import run_git

T0 = 1_767_000_000

CONFIG = """\
[project]
name = "pump"
class = "C"
[paths]
items = ["reqs"]
sources = ["src/**/*.py"]
tests = ["tests/**/*.py"]
lockfiles = ["requirements.txt"]
"""

ITEMS = """\
- id: SYS-1
  title: Deliver insulin
- id: RISK-1
  title: Overdose
  severity: critical
- id: RISK-2
  title: Wrong screen
  severity: minor
- id: SRS-1
  title: Dose limit
  parents: [SYS-1]
  item: pump
  controls: [RISK-1]
  text: The pump shall never deliver more than the limit.
- id: SRS-2
  title: Dose log
  parents: [SYS-1]
  item: pump
- id: SRS-3
  title: Screen
  parents: [SYS-1]
  item: ui
  controls: [RISK-2]
  text: The screen shall show the dose.
- id: TC-1
  title: Screen on the bench
  verifies: [SRS-3]
- id: pump
  kind: software-item
  title: Pump control
  class: C
  paths: ["src/pump/**"]
  interfaces:
    - name: Pump API
      kind: openapi
      spec: api/openapi.yaml
- id: ui
  kind: software-item
  title: Screen
  class: A
  paths: ["src/ui/**"]
"""

DOSE = """\
# @implements SRS-2
import math


def helper(x):
    return math.floor(x)


# @implements SRS-1
def limit(units):
    if units > 10:
        return 10
    return units
"""

SCREEN = """\
class Screen:
    # @implements SRS-3
    def show(self, dose):
        return f"{dose} U"
"""

TEST_DOSE = """\
import pytest


@pytest.mark.verifies("SRS-1")
def test_limit():
    assert True


def test_helper():
    assert True
"""

TEST_SCREEN = """\
# @verifies SRS-3
def test_show():
    assert True
"""

API = """\
openapi: 3.0.3
info: {title: Pump, version: "1"}
paths:
  /dose:
    get:
      operationId: getDose
      responses:
        "200": {description: the dose}
"""


class Project:
    """The project, committed once as ``v1``; ``commit`` records each further change."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.when = T0
        files = {
            "medtrace.toml": CONFIG,
            "reqs/items.yaml": ITEMS,
            "src/pump/dose.py": DOSE,
            "src/ui/screen.py": SCREEN,
            "tests/test_dose.py": TEST_DOSE,
            "tests/test_screen.py": TEST_SCREEN,
            "api/openapi.yaml": API,
            "requirements.txt": "requests==2.31.0\nidna==3.6\n",
        }
        for rel, text in files.items():
            self.write(rel, text)
        run_git(root, "init", "-q", "-b", "main")
        self.v1 = self.commit("v1")
        run_git(root, "tag", "v1")

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def edit(self, rel: str, old: str, new: str) -> None:
        text = (self.root / rel).read_text()
        assert old in text, old
        self.write(rel, text.replace(old, new))

    def commit(self, message: str) -> str:
        self.when += 60
        run_git(self.root, "add", "-A")
        run_git(self.root, "commit", "-q", "-m", message, when=self.when)
        return run_git(self.root, "rev-parse", "HEAD").strip()
