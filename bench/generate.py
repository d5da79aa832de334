"""Generate a synthetic medtrace project of any size, and the same requirements for the peers.

The output directory gets three trees holding the same system and software requirements:

- ``medtrace/``: a full medtrace project (``medtrace.toml``, class C): software requirements as
  one Markdown file each, system requirements and risks as YAML tables, software items in an
  architecture YAML file;
- ``strictdoc/``: the system and software requirements as StrictDoc ``.sdoc`` documents;
- ``doorstop/``: a Doorstop tree (documents ``SYS`` and ``SRS``, one YAML file per item), with a
  ``.mockvcs`` marker so that Doorstop takes it as the root of its working copy;

and ``manifest.json`` with the counts. The output is a pure function of the options: the same
seed gives the same bytes. Defects (dangling links, duplicate IDs) can be injected to time the
failing path; they come from their own random stream, so the clean part does not change.

Usage: ``python bench/generate.py OUT --requirements 1000 --seed 1``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

import vocabulary as vocab

FORMATS = ("medtrace", "strictdoc", "doorstop")
SYS_PER_FILE = 200
RISKS_PER_FILE = 500
SRS_PER_FOLDER = 1000
REQUIREMENTS_PER_ITEM = 1000
TESTS_PER_FILE = 50
RESULTS_FILE = "build/results/junit.xml"
T = TypeVar("T")


@dataclass(frozen=True)
class Options:
    """What to generate."""

    requirements: int
    risks: int
    seed: int = 1
    dangling: int = 0
    duplicates: int = 0
    tests: bool = True


@dataclass
class SoftwareItem:
    """An element of the architecture."""

    name: str
    title: str
    safety_class: str
    level: str
    runtime: str
    paths: list[str]
    parent: str = ""
    rationale: str = ""
    segregation: str = ""


@dataclass
class Requirement:
    """A system or software requirement."""

    uid: str
    title: str
    text: str
    parents: list[str] = field(default_factory=list)
    type: str = ""
    item: str = ""
    controls: list[str] = field(default_factory=list)
    control_type: str = ""


@dataclass
class Risk:
    """An ISO 14971 risk-table row."""

    uid: str
    title: str
    hazard: str
    sequence: str
    situation: str
    harm: str
    severity: str
    probability: str
    residual_severity: str
    residual_probability: str
    cause: str
    item: str = ""
    benefit_risk: str = ""
    reduction_rationale: str = ""
    p1: str = ""
    p2: str = ""


@dataclass
class Project:
    """Everything the writers need."""

    options: Options
    items: list[SoftwareItem]
    system_requirements: list[Requirement]
    software_requirements: list[Requirement]
    risks: list[Risk]
    duplicates: list[Requirement] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        """Number of medtrace items, duplicates included."""
        return (
            len(self.items)
            + len(self.system_requirements)
            + len(self.software_requirements)
            + len(self.risks)
            + len(self.duplicates)
        )


# --------------------------------------------------------------------------- model


def system_requirement_count(requirements: int) -> int:
    """About one system requirement for twenty software requirements."""
    return max(1, round(requirements / 20))


def software_item_count(requirements: int) -> int:
    """About one software item for a thousand requirements (the system comes on top)."""
    return max(1, round(requirements / REQUIREMENTS_PER_ITEM))


def build_project(options: Options) -> Project:
    """Draw the whole project from the seed."""
    rng = random.Random(options.seed)
    items = build_items(software_item_count(options.requirements))
    system = [make_system_requirement(rng, k) for k in range(1, system_count(options) + 1)]
    software = build_software_requirements(rng, options, items, len(system))
    risks = build_risks(rng, options, items, software)
    project = Project(options, items, system, software, risks)
    inject_defects(project)
    return project


def system_count(options: Options) -> int:
    """Number of system requirements for these options."""
    return system_requirement_count(options.requirements)


def build_items(count: int) -> list[SoftwareItem]:
    """The software system and ``count`` items below it; a lower class comes with a rationale."""
    system = SoftwareItem(
        name="pump-software",
        title="Insulin pump software system",
        safety_class="C",
        level="system",
        runtime=vocab.RUNTIMES[0],
        paths=[],  # the code belongs to its items
    )
    return [system, *(make_item(k) for k in range(count))]


def make_item(k: int) -> SoftwareItem:
    """The k-th software item (0-based); the pattern of classes is fixed, not drawn."""
    base = vocab.ITEM_NAMES[k % len(vocab.ITEM_NAMES)]
    rounds = k // len(vocab.ITEM_NAMES)
    name = base if rounds == 0 else f"{base}-{rounds + 1}"
    safety_class = ("C", "C", "B", "C", "A", "B")[k % 6]
    item = SoftwareItem(
        name=name,
        title=name.replace("-", " ").capitalize(),
        safety_class=safety_class,
        level="item",
        runtime=vocab.RUNTIMES[k % len(vocab.RUNTIMES)],
        paths=[f"src/{name.replace('-', '_')}/**"],
        parent="pump-software",
    )
    if safety_class != "C":
        item.rationale = vocab.RATIONALES[k % len(vocab.RATIONALES)]
        item.segregation = vocab.SEGREGATIONS[k % len(vocab.SEGREGATIONS)]
    return item


def statement(rng: random.Random, subject: str) -> tuple[str, str]:
    """A (title, sentence) pair built from the domain vocabulary."""
    verb, verb_title = rng.choice(vocab.ACTIONS)
    thing = rng.choice(vocab.OBJECTS)
    condition = rng.choice(vocab.CONDITIONS)
    timing = rng.choice(vocab.TIMINGS)
    sentence = f"The {subject} shall {verb} the {thing} {condition}"
    sentence += f" {timing}." if timing else "."
    return f"{verb_title} the {thing} {condition}", sentence


def make_system_requirement(rng: random.Random, k: int) -> Requirement:
    """SYS-k: a device-level requirement."""
    title, text = statement(rng, "insulin pump")
    return Requirement(uid=f"SYS-{k}", title=title, text=text)


def make_software_requirement(rng: random.Random, k: int, parent: int) -> Requirement:
    """SRS-k, derived from SYS-parent (and sometimes a second system requirement)."""
    title, text = statement(rng, rng.choice(vocab.COMPONENTS))
    if rng.random() < 0.5:
        text += " " + rng.choice(vocab.FOLLOW_UPS)
    return Requirement(
        uid=f"SRS-{k}",
        title=title,
        text=text,
        parents=[f"SYS-{parent}"],
        type=rng.choice(vocab.REQUIREMENT_TYPES),
    )


def build_software_requirements(
    rng: random.Random, options: Options, items: list[SoftwareItem], n_system: int
) -> list[Requirement]:
    """Software requirements in contiguous groups per system requirement, each allocated."""
    allocatable = items[1:]
    result = []
    for k in range(1, options.requirements + 1):
        parent = (k - 1) * n_system // options.requirements + 1
        requirement = make_software_requirement(rng, k, parent)
        if n_system > 1 and rng.random() < 0.15:
            extra = rng.randint(1, n_system)
            if extra != parent:
                requirement.parents.append(f"SYS-{extra}")
        requirement.item = rng.choice(allocatable).name
        result.append(requirement)
    return result


def build_risks(
    rng: random.Random, options: Options, items: list[SoftwareItem], software: list[Requirement]
) -> list[Risk]:
    """Risks, each controlled by at least one requirement allocated to a class C item."""
    class_c_items = [item.name for item in items if item.safety_class == "C"]
    class_c = set(class_c_items)
    controllers = [r for r in software if r.item in class_c] or software
    risks = []
    for k in range(1, options.risks + 1):
        risk = make_risk(rng, k)
        if controllers:
            control = rng.choice(controllers)
            add_control(rng, control, risk.uid)
            # the failure is in another class C item than the control: no common mode
            others = [name for name in class_c_items if name != control.item]
            risk.item = others[k % len(others)] if others else control.item
        else:
            risk.item = items[0].name
        risks.append(risk)
    return risks


def add_control(rng: random.Random, requirement: Requirement, risk: str) -> None:
    """Make the requirement a control measure of the risk."""
    requirement.controls.append(risk)
    if not requirement.control_type:
        requirement.control_type = rng.choice(vocab.CONTROL_TYPES)


def make_risk(rng: random.Random, k: int) -> Risk:
    """RISK-k, with an initial and a residual estimate from the default scales."""
    rng.randrange(len(vocab.SEVERITIES))  # drawn as before: the stream stays the same
    probability = rng.randrange(len(vocab.PROBABILITIES))
    hazard = rng.choice(vocab.HAZARDS)
    harm = rng.choice(vocab.HARMS)
    severity = vocab.HARM_SEVERITY[harm]
    residual_severity, residual_probability = residual(severity, probability)
    risk = Risk(
        uid=f"RISK-{k}",
        title=f"{harm} from {hazard.lower()}",
        hazard=hazard,
        sequence=rng.choice(vocab.SEQUENCES),
        situation=rng.choice(vocab.SITUATIONS),
        harm=harm,
        severity=vocab.SEVERITIES[severity],
        probability=vocab.PROBABILITIES[probability],
        residual_severity=vocab.SEVERITIES[residual_severity],
        residual_probability=vocab.PROBABILITIES[residual_probability],
        cause=rng.choice(vocab.CAUSES),
    )
    if risk.cause in ("defect", "specification"):
        # a software failure: P1 at the top level, so the overall probability is P2's
        risk.p1, risk.p2 = vocab.PROBABILITIES[-1], risk.probability
        risk.probability = ""
    if vocab.RISK_MATRIX[residual_severity][residual_probability] != "acceptable":
        risk.benefit_risk = rng.choice(vocab.BENEFIT_RISK)
        risk.reduction_rationale = vocab.REDUCTION[k % len(vocab.REDUCTION)]
    return risk


def residual(severity: int, probability: int) -> tuple[int, int]:
    """Controls lower the probability to the highest level that is acceptable, if any."""
    row = vocab.RISK_MATRIX[severity]
    for level in range(probability, -1, -1):
        if row[level] == "acceptable":
            return severity, level
    return severity, 0


def inject_defects(project: Project) -> None:
    """Dangling parent links and duplicate IDs, drawn from a stream of their own."""
    options = project.options
    rng = random.Random(f"defects-{options.seed}")
    software = project.software_requirements
    n_system = len(project.system_requirements)
    for n, index in enumerate(sample(rng, len(software), options.dangling)):
        software[index].parents.append(f"SYS-{n_system + 1 + n}")
    for index in sample(rng, len(software), options.duplicates):
        original = software[index]
        title, text = statement(rng, rng.choice(vocab.COMPONENTS))
        project.duplicates.append(
            Requirement(
                uid=original.uid,
                title=title,
                text=text,
                parents=list(original.parents),
                type=original.type,
                item=original.item,
            )
        )


def sample(rng: random.Random, population: int, count: int) -> list[int]:
    """``count`` distinct indexes (repeating when more are asked than exist), sorted."""
    if population == 0 or count <= 0:
        return []
    picks = [rng.randrange(population) for _ in range(count - population)]
    return sorted(rng.sample(range(population), min(count, population)) + picks)


# --------------------------------------------------------------------------- helpers

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.()'/+-]*")
_RESERVED = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})


def scalar(value: str) -> str:
    """A YAML scalar: plain when that is safe, else double-quoted (JSON is valid YAML)."""
    if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED and not value.endswith(" "):
        return value
    return json.dumps(value)


def flow_list(values: Sequence[str]) -> str:
    """A YAML flow sequence of plain IDs."""
    return "[" + ", ".join(values) + "]"


def chunks(values: Sequence[T], size: int) -> list[Sequence[T]]:
    """Consecutive slices of at most ``size`` values."""
    return [values[i : i + size] for i in range(0, len(values), size)]


class Writer:
    """Writes text files under a root, creating folders once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: set[Path] = set()
        self.files = 0

    def write(self, relative: str, text: str) -> None:
        """Write ``text`` (UTF-8, LF line ends) to ``root/relative``."""
        path = self.root / relative
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        self.files += 1


# --------------------------------------------------------------------------- medtrace


def write_medtrace(project: Project, writer: Writer) -> None:
    """The medtrace project: config, architecture, SYS and risk tables, one file per SRS.

    A ``.git`` folder makes the project the top of its own working copy, as a real project is:
    medtrace honours the ``.gitignore`` files up to the top, and the repository holding
    ``bench/out/`` ignores it (which would hide the tests from the scan).
    """
    writer.write(".git/info/exclude", "# The generated project is a working copy of its own.\n")
    writer.write("medtrace.toml", medtrace_config(project.options))
    writer.write("docs/items/architecture.yaml", architecture_yaml(project.items))
    for n, group in enumerate(chunks(project.system_requirements, SYS_PER_FILE), start=1):
        writer.write(f"docs/items/system/system-requirements-{n:03d}.yaml", system_yaml(group))
    for n, risks in enumerate(chunks(project.risks, RISKS_PER_FILE), start=1):
        writer.write(f"docs/items/risks/risks-{n:03d}.yaml", risks_yaml(risks))
    writer.write("docs/items/test-cases.yaml", USABILITY_TEST.format(today=date.today()))
    for requirement in project.software_requirements:
        writer.write(srs_path(requirement.uid, ""), srs_markdown(requirement))
    for n, requirement in enumerate(project.duplicates, start=1):
        text = srs_markdown(requirement, explicit_id=True)
        writer.write(srs_path(requirement.uid, f"-duplicate-{n}"), text)
    if project.options.tests:
        write_tests(project, writer)


def srs_path(uid: str, suffix: str) -> str:
    """Software requirements go in folders of a thousand: ``srs/000/SRS-1.md``."""
    number = int(uid.rsplit("-", 1)[1])
    return f"docs/items/srs/{(number - 1) // SRS_PER_FOLDER:03d}/{uid}{suffix}.md"


def medtrace_config(options: Options) -> str:
    """``medtrace.toml`` for a class C system."""
    return (
        "# Synthetic project written by bench/generate.py; do not edit by hand.\n"
        "[project]\n"
        f'name = "Synthetic insulin pump ({options.requirements} requirements, '
        f'seed {options.seed})"\n'
        'class = "C"\n'
        "\n"
        "[paths]\n"
        'items = ["docs/items"]\n'
        + (
            'sources = ["src/**/*.py"]\ntests = ["tests/**/*.py"]\n'
            'results = ["build/results/*.xml"]\n'
            if options.tests
            else ""
        )
    )


def architecture_yaml(items: list[SoftwareItem]) -> str:
    """The software system and its items."""
    lines = ["kind: software-item", "items:"]
    for item in items:
        lines += [
            f"  - id: {item.name}",
            f"    title: {scalar(item.title)}",
            f"    level: {item.level}",
            f"    class: {item.safety_class}",
            f"    runtime: {scalar(item.runtime)}",
            f"    paths: [{', '.join(json.dumps(p) for p in item.paths)}]",
        ]
        lines += [f"    parent: {item.parent}"] if item.parent else []
        lines += [f"    rationale: {scalar(item.rationale)}"] if item.rationale else []
        lines += [f"    segregation: {scalar(item.segregation)}"] if item.segregation else []
    return "\n".join(lines) + "\n"


#: The record of the effectiveness of information for safety (MT183, MT194): a complete class
#: C test record, executed the day the project is generated (a record older than the files it
#: verifies would be stale, MT201).
USABILITY_TEST = """\
kind: test-case
items:
  - id: TC-1
    title: Summative usability test of the information for safety
    type: usability
    steps: ["Give each participant the task and the information, then observe."]
    expected: Every participant acts on the information.
    result: pass
    executed: {today}
    tester: Synthetic usability engineer
    version: 1.0.0
    configuration: The synthetic pump software on its reference hardware.
    tools: [session recorder]
    actual: [Every participant acted on the information.]
    deviations: none
"""


def system_yaml(requirements: Sequence[Requirement]) -> str:
    """A table of system requirements."""
    lines = ["kind: system-requirement", "items:"]
    for requirement in requirements:
        lines += [
            f"  - id: {requirement.uid}",
            f"    title: {scalar(requirement.title)}",
            f"    text: {scalar(requirement.text)}",
        ]
    return "\n".join(lines) + "\n"


def risks_yaml(risks: Sequence[Risk]) -> str:
    """A risk table."""
    lines = ["kind: risk", "items:"]
    for risk in risks:
        lines += [f"  - id: {risk.uid}"]
        lines += [
            f"    {name}: {scalar(value)}"
            for name, value in (
                ("title", risk.title),
                ("hazard", risk.hazard),
                ("sequence", risk.sequence),
                ("situation", risk.situation),
                ("harm", risk.harm),
                ("severity", risk.severity),
                ("probability", risk.probability),
                ("p1", risk.p1),
                ("p2", risk.p2),
                ("residual_severity", risk.residual_severity),
                ("residual_probability", risk.residual_probability),
                ("benefit_risk", risk.benefit_risk),
                ("reduction_rationale", risk.reduction_rationale),
                ("item", risk.item),
                ("cause", risk.cause),
            )
            if value
        ]
    return "\n".join(lines) + "\n"


def srs_markdown(requirement: Requirement, explicit_id: bool = False) -> str:
    """One software requirement: front matter, heading, text; the ID is the file name's."""
    lines = ["---"]
    if explicit_id:
        lines.append(f"id: {requirement.uid}")
    lines += [
        f"type: {requirement.type}",
        f"parents: {flow_list(requirement.parents)}",
        f"item: {requirement.item}",
    ]
    if requirement.controls:
        lines.append(f"controls: {flow_list(requirement.controls)}")
        lines.append(f"control_type: {requirement.control_type}")
        if requirement.control_type == "information":
            lines.append("effectiveness: Summative usability test of the information.")
            lines.append("effectiveness_evidence: [TC-1]")
    lines += ["---", f"# {requirement.title}", "", requirement.text]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- tests


def write_tests(project: Project, writer: Writer) -> None:
    """The code implementing every software requirement, pytest files verifying them, then
    their passing JUnit results.

    The results are written last so that they are newer than the code and tests they cover.
    """
    rng = random.Random(f"tests-{project.options.seed}")
    cases: list[tuple[str, str]] = []
    allocated: dict[str, list[Requirement]] = {item.name: [] for item in project.items}
    for requirement in project.software_requirements:
        allocated[requirement.item].append(requirement)
    for item in project.items[1:]:
        package = item.name.replace("-", "_")
        for n, group in enumerate(chunks(allocated[item.name], TESTS_PER_FILE), start=1):
            writer.write(f"src/{package}/{package}_{n:03d}.py", code_module(item, group))
            module = f"tests/{package}/test_{package}_{n:03d}.py"
            writer.write(module, test_module(item, group))
            classname = module.removesuffix(".py").replace("/", ".")
            cases += [(classname, test_name(r)) for r in group]
    writer.write(RESULTS_FILE, junit_xml(rng, cases))


def test_name(requirement: Requirement) -> str:
    """``test_srs_12_compute_the_delivery_history``: the ID and the title's first words."""
    words = re.findall(r"[a-z0-9]+", requirement.title.lower())[:4]
    return "_".join(["test", *requirement.uid.lower().split("-"), *words])


def code_module(item: SoftwareItem, requirements: Sequence[Requirement]) -> str:
    """A module of the item's code: one function per requirement, tagged ``@implements``."""
    parts = [f'"""The {item.title.lower()} (synthetic, written by bench/generate.py)."""\n']
    for requirement in requirements:
        parts += [
            f"\n# @implements {requirement.uid}",
            f"def {test_name(requirement).removeprefix('test_')}(value: int) -> int:",
            f'    """{requirement.title}."""',
            "    return value + 1\n",
        ]
    return "\n".join(parts)


def test_module(item: SoftwareItem, requirements: Sequence[Requirement]) -> str:
    """A pytest module with one tagged test per requirement."""
    parts = [
        f'"""Tests of the {item.title.lower()} (synthetic, written by bench/generate.py)."""\n',
        "\ndef run_scenario(requirement: str) -> bool:",
        '    """Stand-in for the scenario runner of the test bench."""',
        '    return requirement.startswith("SRS-")\n',
    ]
    for requirement in requirements:
        parts += [
            f"\ndef {test_name(requirement)}() -> None:",
            f'    """{requirement.title}.\n',
            f"    @verifies {requirement.uid}",
            '    """',
            f'    assert run_scenario("{requirement.uid}")\n',
        ]
    return "\n".join(parts)


def junit_xml(rng: random.Random, cases: Sequence[tuple[str, str]]) -> str:
    """The results as pytest's ``--junitxml`` writes them: one suite, every test passed."""
    times = [rng.randint(1, 200) / 1000 for _ in cases]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="0" '
        f'skipped="0" tests="{len(cases)}" time="{sum(times):.3f}" '
        'timestamp="2025-01-15T09:30:00.000000+00:00" hostname="ci-runner">',
    ]
    lines += [
        f'<testcase classname="{classname}" name="{name}" time="{time:.3f}" />'
        for (classname, name), time in zip(cases, times, strict=True)
    ]
    lines.append("</testsuite></testsuites>")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- StrictDoc


def write_strictdoc(project: Project, writer: Writer) -> None:
    """StrictDoc documents: system requirements by 200, software requirements by 1000."""
    for n, group in enumerate(chunks(project.system_requirements, SYS_PER_FILE), start=1):
        writer.write(f"system-requirements-{n:03d}.sdoc", sdoc_document(f"System {n}", group))
    software = [*project.software_requirements, *project.duplicates]
    software.sort(key=lambda r: int(r.uid.rsplit("-", 1)[1]))
    for n, group in enumerate(chunks(software, SRS_PER_FOLDER), start=1):
        title = f"Software requirements {n}"
        writer.write(f"software-requirements-{n:03d}.sdoc", sdoc_document(title, group))


def sdoc_document(title: str, requirements: Sequence[Requirement]) -> str:
    """One ``[DOCUMENT]`` with its ``[REQUIREMENT]`` nodes."""
    parts = [f"[DOCUMENT]\nTITLE: {title}\n"]
    parts += [sdoc_requirement(requirement) for requirement in requirements]
    return "\n".join(parts)


def sdoc_requirement(requirement: Requirement) -> str:
    """A ``[REQUIREMENT]`` with its parent relations."""
    lines = [
        "[REQUIREMENT]",
        f"UID: {requirement.uid}",
        f"TITLE: {requirement.title}",
        f"STATEMENT: {requirement.text}",
    ]
    if requirement.parents:
        lines.append("RELATIONS:")
        for parent in requirement.parents:
            lines += ["- TYPE: Parent", f"  VALUE: {parent}"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- Doorstop


def write_doorstop(project: Project, writer: Writer) -> None:
    """A Doorstop tree: SYS at the top, SRS below; one YAML file per item."""
    writer.write(".mockvcs/README", "Marks the root of the Doorstop working copy.\n")
    writer.write("sys/.doorstop.yml", doorstop_settings("SYS", ""))
    writer.write("srs/.doorstop.yml", doorstop_settings("SRS", "SYS"))
    for index, requirement in enumerate(project.system_requirements):
        level = doorstop_level(index, SYS_PER_FILE)
        writer.write(f"sys/{requirement.uid}.yml", doorstop_item(requirement, level))
    for index, requirement in enumerate(project.software_requirements):
        level = doorstop_level(index, SRS_PER_FOLDER)
        writer.write(f"srs/{requirement.uid}.yml", doorstop_item(requirement, level))


def doorstop_settings(prefix: str, parent: str) -> str:
    """``.doorstop.yml`` as ``doorstop create PREFIX PATH [--parent P] --digits 1`` writes it."""
    lines = ["settings:", "  digits: '1'", "  itemformat: yaml"]
    lines += [f"  parent: {parent}"] if parent else []
    lines += [f"  prefix: {prefix}", "  sep: '-'"]
    return "\n".join(lines) + "\n"


def doorstop_level(index: int, per_section: int) -> str:
    """Two-part outline levels, in Doorstop's own YAML spelling (``1.10`` must be quoted)."""
    level = f"{index // per_section + 1}.{index % per_section + 1}"
    return f"'{level}'" if level.endswith("0") else level


def doorstop_item(requirement: Requirement, level: str) -> str:
    """An item file with the fields Doorstop writes, in its order."""
    links = "".join(f"\n- {parent}: null" for parent in requirement.parents) or " []"
    return (
        "active: true\n"
        "derived: false\n"
        f"header: {scalar(requirement.title)}\n"
        f"level: {level}\n"
        f"links:{links}\n"
        "normative: true\n"
        "ref: ''\n"
        "reviewed: null\n"
        "text: |\n"
        f"  {requirement.text}\n"
    )


# --------------------------------------------------------------------------- main


WRITERS = {
    "medtrace": write_medtrace,
    "strictdoc": write_strictdoc,
    "doorstop": write_doorstop,
}


def generate(out: Path, options: Options, formats: Sequence[str] = FORMATS) -> dict[str, object]:
    """Write the trees for ``formats`` under ``out`` (replacing them) and the manifest."""
    project = build_project(options)
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in formats:
        shutil.rmtree(out / name, ignore_errors=True)
        writer = Writer(out / name)
        WRITERS[name](project, writer)
        files[name] = writer.files
    manifest = make_manifest(project, files)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def make_manifest(project: Project, files: dict[str, int]) -> dict[str, object]:
    """Counts that the harness and the tests rely on."""
    options = project.options
    return {
        "seed": options.seed,
        "software_requirements": len(project.software_requirements),
        "system_requirements": len(project.system_requirements),
        "risks": len(project.risks),
        "software_items": len(project.items),
        "medtrace_items": project.item_count,
        "requirements": len(project.software_requirements) + len(project.system_requirements),
        "tests": len(project.software_requirements) if options.tests else 0,
        "defects": {"dangling": options.dangling, "duplicates": len(project.duplicates)},
        "files": files,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="output folder (its trees are replaced)")
    parser.add_argument("--requirements", type=int, default=1000, help="software requirements")
    parser.add_argument("--risks", type=int, help="risks (default: requirements / 10)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dangling", type=int, default=0, help="dangling parent links to add")
    parser.add_argument("--duplicates", type=int, default=0, help="duplicate IDs to add")
    parser.add_argument(
        "--tests",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="tagged pytest files and their passing JUnit results (class C needs them)",
    )
    parser.add_argument(
        "--formats",
        default=",".join(FORMATS),
        help="comma-separated subset of: " + ",".join(FORMATS),
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    formats = [name for name in args.formats.split(",") if name]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or args.requirements < 1:
        print(f"error: unknown formats {unknown} or no requirements", file=sys.stderr)
        return 2
    risks = args.risks if args.risks is not None else max(1, args.requirements // 10)
    options = Options(
        args.requirements, risks, args.seed, args.dangling, args.duplicates, args.tests
    )
    manifest = generate(args.out, options, formats)
    print(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
