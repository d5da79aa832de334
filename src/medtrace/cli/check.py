"""``medtrace check``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from medtrace.cli._common import console, directory, output_log, working
from medtrace.errors import ExitCode
from medtrace.render import FORMATS, Summary, summary_line

if TYPE_CHECKING:
    from medtrace.pipeline import CheckResult


# @implements SRS-73
@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
@click.option(
    "--no-cache", is_flag=True, help="Read every file again; do not use or write the cache."
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="Write the report to PATH ('-' for standard output); the summary line still shows.",
)
@click.option("--force", is_flag=True, help="With -o: replace a file medtrace did not write.")
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=None,
    help="Worker processes for reading and scanning changed files (0: every core; default: "
    "limits.jobs).",
)
@click.pass_context
def check(
    ctx: click.Context,
    fmt: str,
    strict: bool,
    no_cache: bool,
    output: str | None,
    force: bool,
    jobs: int | None,
) -> None:
    """Load, link and run every rule for the project's safety class.

    With -o, an existing file is replaced only if medtrace wrote it (or with --force); a
    symbolic link is never replaced; a device or FIFO is written through. Exits 0 when clean,
    1 on errors (and warnings with --strict), 2 on a usage or configuration error.
    """
    from medtrace.pipeline import check as run_check

    with working("Checking"):
        result = run_check(directory(ctx), use_cache=not no_cache, jobs=jobs)
    config = result.config
    summary = summary_of(result, strict)
    text = report(fmt, result, summary, use_cache=not no_cache)
    if output:
        _write(output, _plain(text) if fmt == "text" else text + "\n", config.root, force)
        if output not in ("/dev/stderr", "/dev/fd/2"):
            click.echo(summary_line(result.diagnostics, summary), err=True)
    elif fmt == "text":
        _print_in_batches(text)
    else:
        sys.stdout.write(text + "\n")
    ctx.exit(ExitCode.FINDINGS if result.failed(strict) else ExitCode.OK)


def summary_of(result: CheckResult, strict: bool) -> Summary:
    """What a report says of the check as a whole."""
    config = result.config
    return Summary(
        config.project.name,
        config.safety_class,
        result.items,
        result.files,
        strict=strict,
        config=_config_name(config.source, config.root),
        statuses=tuple(result.statuses.items()),
    )


def _report_key(result: CheckResult, summary: Summary) -> str:
    """What a report depends on besides its format: the check's inputs (their digest and the
    stat identities of the files the rules read besides) and the options."""
    extras = sorted(result.extra_inputs.items())
    return f"{result.inputs_digest}|{extras!r}|{summary.strict}|{summary.config}"


def report(fmt: str, result: CheckResult, summary: Summary, *, use_cache: bool) -> str:
    """The report, read back when the same inputs, format and options made it before (see
    :mod:`medtrace.render.reports`); else rendered, and kept."""
    from medtrace.render.reports import kept_report

    directory = result.config.cache_dir if use_cache else None
    key = _report_key(result, summary)
    return kept_report(fmt, result.diagnostics, summary, directory=directory, key=key)


def _write(output: str, text: str, root: Path, force: bool) -> None:
    from medtrace.fsutil import write_outputs

    log = output_log(root)
    write_outputs({Path(output): text}, force=force, ours=log.owns, log=log)


def _config_name(source: Path | None, root: Path) -> str:
    """The configuration file, relative to the project root when it is inside it."""
    if source is None:
        return "medtrace.toml"
    try:
        return source.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return source.name


#: Lines printed at a time: rich renders a whole markup string at once, and 150,000 findings
#: in one string took about 800 MB (each line is markup of its own: batches print the same).
_BATCH = 1000


# @implements SRS-66
def _print_in_batches(text: str) -> None:
    out = console()
    lines = text.split("\n")
    for start in range(0, len(lines), _BATCH):
        out.print("\n".join(lines[start : start + _BATCH]))


def _plain(markup: str) -> str:
    from rich.text import Text

    return Text.from_markup(markup, emoji=False).plain + "\n"
