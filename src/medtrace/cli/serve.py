"""``medtrace serve``."""

from __future__ import annotations

import sys

import click

from medtrace.cli._common import directory
from medtrace.errors import ExitCode


# @implements SRS-307
@click.command()
@click.option(
    "--idle-timeout",
    "idle",
    type=click.FloatRange(min=0),
    default=3600.0,
    show_default=True,
    metavar="SECONDS",
    help="Stop after this long without a command (0: never).",
)
@click.option(
    "--no-check-ahead",
    "still",
    is_flag=True,
    help="Read changed files at once, but check only when asked.",
)
@click.option(
    "--status", is_flag=True, help="Say whether a server runs for the project; exit 1 if not."
)
@click.option("--stop", is_flag=True, help="Stop the project's server.")
@click.pass_context
def serve(ctx: click.Context, idle: float, still: bool, status: bool, stop: bool) -> None:
    """Keep the project in memory and answer 'medtrace check' from it.

    Runs in the foreground until stopped (Ctrl-C, SIGTERM, 'medtrace serve --stop') or idle.
    While it runs, 'medtrace check' in the project is handed to it and gives the same output,
    exit code and files as without it, in a fraction of the time: the server learns of changed
    files from the kernel (inotify), reads them at once and checks the project ahead (unless
    --no-check-ahead): a check asked for a moment after a save only prints the result. Set
    MEDTRACE_NO_SERVER=1 to run a check without it. Linux only.
    """
    from medtrace.serve import server

    start = directory(ctx)
    if status or stop:
        pid = server.stop(start) if stop else server.running(start)
        verb = "stopped" if stop else "runs"
        click.echo(f"a server {verb} for this project (pid {pid})" if pid else "no server runs")
        ctx.exit(ExitCode.OK if pid or stop else ExitCode.FINDINGS)
    ctx.exit(server.serve(start, idle or float("inf"), sys.stderr, ahead=not still))
