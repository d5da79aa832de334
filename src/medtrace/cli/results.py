"""``medtrace results record FILE... [--runner NAME] [--inputs GLOB]...``: write the provenance
record ``FILE.medtrace.json`` of each results file a test run just wrote (see
:mod:`medtrace.results.provenance`).

Run it right after the suite, in ``make`` or CI. ``--inputs`` names the files the suite ran on
(its code, tests, fixtures, headers, specs: globs from the project root); without it, the
project's ``paths.sources`` and ``paths.tests``. The record is written by the one output rule
(atomically; an earlier record is replaced).

Exit codes: 0 when every record was written; 2 on a usage or configuration error (a results
file that does not exist, a bad glob).
"""

from __future__ import annotations

from pathlib import Path

import click

from medtrace.cli._common import directory, output_log
from medtrace.errors import UsageError


@click.group()
def results() -> None:
    """Test results: record where they come from."""


# @implements SRS-174
@results.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--runner", default="", help="The test runner (pytest, jest, ctest...).")
@click.option(
    "--inputs",
    "inputs",
    multiple=True,
    metavar="GLOB",
    help="Files the suite ran on (repeatable); default: paths.sources and paths.tests.",
)
@click.pass_context
def record(
    ctx: click.Context, files: tuple[str, ...], runner: str, inputs: tuple[str, ...]
) -> None:
    """Write FILE.medtrace.json next to each results FILE: the commit, whether the work tree
    had changes, the digest of the files the suite ran on, the time, runner and platform."""
    from medtrace.config import load_config
    from medtrace.fs import Globs, PatternError
    from medtrace.fsutil import write_outputs
    from medtrace.results.provenance import SUFFIX, make_provenance

    start = directory(ctx)
    config = load_config(start)
    root = config.root
    globs = list(inputs) or [*config.paths.sources, *config.paths.tests]
    if not globs:
        raise UsageError("no --inputs given and no paths.sources or paths.tests configured")
    try:
        Globs(globs)
    except PatternError as exc:
        raise UsageError(f"--inputs: {exc}") from None
    outputs: dict[Path, str] = {}
    for name in files:
        rel = _relative(root, start, Path(name))
        record_ = make_provenance(root, rel, globs, runner)
        outputs[root / (rel + SUFFIX)] = record_.to_json()
        click.echo(f"recorded {rel}: {record_.files} input files, commit {record_.commit or '-'}")
    log = output_log(root)
    write_outputs(outputs, ours=lambda p: p.name.endswith(SUFFIX) or log.owns(p), log=log)


def _relative(root: Path, start: Path, path: Path) -> str:
    """``path`` (as given: from the directory of ``-C``, else the working directory) relative to
    the project root."""
    full = path if path.is_absolute() else start.absolute() / path
    if not full.is_file():
        raise UsageError(f"{path}: no such results file")
    try:
        return full.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"{path}: is not inside the project ({root})") from None
