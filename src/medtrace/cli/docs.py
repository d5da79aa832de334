"""``medtrace docs [TOPIC]``: the documentation shipped with medtrace, offline."""

from __future__ import annotations

import click

from medtrace.errors import UsageError


# @implements SRS-33
@click.command()
@click.argument("topic", required=False)
def docs(topic: str | None) -> None:
    """Print a documentation TOPIC as Markdown; without TOPIC, list the topics.

    The pages are installed with medtrace, so they match this version and need no network.
    """
    from medtrace.docs import closest_topic, read_topic, topics

    if topic is None:
        pages = topics()
        width = max((len(t.name) for t in pages), default=0)
        for page in pages:
            click.echo(f"{page.name.ljust(width)}  {page.title}")
        click.echo("\nRead one with 'medtrace docs TOPIC', e.g. 'medtrace docs config'.")
        return
    text = read_topic(topic)
    if text is None:
        names = ", ".join(t.name for t in topics())
        close = closest_topic(topic)
        hint = f"did you mean '{close}'? " if close else ""
        raise UsageError(f"no documentation topic {topic!r}; {hint}topics: {names}")
    click.echo(text, nl=not text.endswith("\n"))
