"""The ``medtrace`` command line. Commands are imported only when they run."""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import sys
from pathlib import Path

import click

from medtrace import __version__
from medtrace.errors import ConfigError, ExitCode, MedtraceError

__all__ = ["main", "run"]

#: command name → (module, function, one-line help). Modules load lazily.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": ("medtrace.cli.check", "check", "Load, link and run every rule for the class."),
    "init": ("medtrace.cli.init", "init", "Create a config and starter items (never overwrites)."),
    "show": ("medtrace.cli.show", "show", "Show one item with its links."),
    "list": ("medtrace.cli.show", "list_items", "List items, optionally of one kind."),
    "rules": ("medtrace.cli.show", "rules", "List every rule with its code and severity."),
    "matrix": ("medtrace.cli.matrix", "matrix", "Traceability matrix, forward and backward."),
    "risks": ("medtrace.cli.risks", "risks", "Risk table and heat maps before/after control."),
    "adopt": ("medtrace.cli.adopt", "adopt", "Turn plain ID mentions in comments into tags."),
    "docs": ("medtrace.cli.docs", "docs", "Print the documentation shipped with medtrace."),
    "arch": ("medtrace.cli.arch", "arch", "Architecture diagrams: SVG, Mermaid, draw.io, DOT."),
    "evidence": ("medtrace.cli.evidence", "evidence", "Coverage and analysis findings per item."),
    "interfaces": ("medtrace.cli.interfaces", "interfaces", "Document the declared interfaces."),
    "results": ("medtrace.cli.results", "results", "Record where test results come from."),
    "review": ("medtrace.cli.review", "review", "Mark links as reviewed (clears suspect links)."),
    "new": ("medtrace.cli.new", "new", "Create an item with the next free ID of its kind."),
    "renumber": (
        "medtrace.cli.new",
        "renumber",
        "Move an item to a new ID with its links and tags.",
    ),
    "approve": ("medtrace.cli.review", "approve", "Record approvals of items' current content."),
    "build": (
        "medtrace.cli.build",
        "build",
        "Build the documentation set: a static site, PDF, Excel.",
    ),
    "soup": ("medtrace.cli.soup", "soup", "SOUP list against lockfiles, SBOMs and audits; SBOM."),
    "release": ("medtrace.cli.release", "release", "Frozen release record; --verify DIR."),
    "diff": ("medtrace.cli.diff", "diff", "What changed between two releases or revisions."),
    "history": ("medtrace.cli.history", "history", "Every change of one item, from git."),
    "impact": ("medtrace.cli.impact", "impact", "What a change touches: items, risks, tests."),
    "serve": ("medtrace.cli.serve", "serve", "Keep the project in memory: fast 'check'."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(entry[0])
        command = getattr(module, entry[1])
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="medtrace")
@click.option(
    "-C",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    help="Run as if started in DIRECTORY.",
)
@click.pass_context
def cli(ctx: click.Context, directory: Path) -> None:
    """medtrace: IEC 62304 evidence as code.

    Exit codes: 0 clean, 1 findings, 2 usage or configuration error.
    """
    ctx.obj = {"directory": directory}


def run() -> None:
    """The ``medtrace`` command: :func:`main`, then leave at once. Output is flushed and exit
    handlers run; the project's objects are not freed one by one (see :mod:`medtrace.gcpause`):
    the operating system takes the memory back whole."""
    from medtrace.gcpause import exit_soon

    exit_soon()
    code = _flushed(main())
    import atexit

    atexit._run_exitfuncs()
    os._exit(code)


#: Errors of a full disk or quota: the machine's state, not a bug in medtrace.
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _flushed(code: int) -> int:
    """``code``, once the output is written out; a failed write is never a silent success: a
    closed pipe ends as ``main`` ends it (``head`` read enough), any other error (a full disk)
    is said and exits 2."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = ExitCode.FINDINGS
    except (OSError, ValueError) as exc:
        with contextlib.suppress(Exception):  # standard error may be gone too
            _cannot_write(exc)
        code = ExitCode.USAGE
    with contextlib.suppress(Exception):  # standard error: nowhere left to say anything
        sys.stderr.flush()
    return code


def _cannot_write(exc: OSError | ValueError) -> int:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    click.echo(f"medtrace: error: cannot write: {reason}", err=True)
    return ExitCode.USAGE


# @implements SRS-15, SRS-16, SRS-90
def main(argv: list[str] | None = None) -> int:
    """Run the CLI; never let a traceback reach the user."""
    _tolerant_streams()
    try:
        code = cli.main(args=argv, prog_name="medtrace", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            click.echo("medtrace: interrupted", err=True)
            return 130
        click.echo("medtrace: aborted", err=True)
        return ExitCode.USAGE
    except click.ClickException as exc:
        exc.show()
        return ExitCode.USAGE
    except ConfigError as exc:
        _print_config_error(exc)
        return ExitCode.USAGE
    except MedtraceError as exc:
        click.echo(f"medtrace: error: {_visible(str(exc))}", err=True)
        return ExitCode.USAGE
    except KeyboardInterrupt:
        click.echo("medtrace: interrupted", err=True)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return ExitCode.FINDINGS
    except Exception as exc:  # a bug: one line, a hint, no traceback
        if isinstance(exc, OSError) and exc.errno in _FULL:
            return _cannot_write(exc)
        if os.environ.get("MEDTRACE_DEBUG"):
            raise
        click.echo(
            f"medtrace: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in medtrace. Run again with MEDTRACE_DEBUG=1 for details and report it "
            "with that output.",
            err=True,
        )
        return ExitCode.USAGE
    return code if isinstance(code, int) else ExitCode.OK


def _visible(text: str) -> str:
    from medtrace.render.escaping import visible

    return visible(text)


def _tolerant_streams() -> None:
    """A file name that is not valid UTF-8 reaches the output as its escape (``\\udce9``),
    never as an encoding error that loses the whole report."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:  # a stream that cannot change is left as it is
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _print_config_error(exc: ConfigError) -> None:
    from medtrace.render.escaping import sentence, visible

    for d in exc.diagnostics:
        click.echo(
            f"{visible(d.location)}: error {d.code} {d.rule}: {visible(d.message)}", err=True
        )
        if d.hint:
            click.echo(f"    hint: {visible(sentence(d.hint))}", err=True)
    n = len(exc.diagnostics)
    click.echo(f"medtrace: the configuration has {n} problem{'s' if n != 1 else ''}", err=True)
