"""Turning project text into HTML: the Jinja2 environment (autoescaping, every string with its
control characters made visible) and Markdown through markdown-it-py (CommonMark, raw HTML
off, unsafe link schemes refused by its link validator)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from markupsafe import Markup

from medtrace.render.escaping import visible
from medtrace.site.names import item_href

if TYPE_CHECKING:
    import jinja2
    from markdown_it import MarkdownIt

__all__ = ["environment", "markdown"]


@functools.cache
def _markdown_it() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


# @implements SRS-213
def markdown(text: str) -> Markup:
    """Item text as HTML: CommonMark with tables; raw HTML shown as text; ``javascript:`` and
    other unsafe links are left as text by markdown-it's validator."""
    if not text:
        return Markup("")
    return Markup(_markdown_it().render(visible(text, "\n\t")))


def _visible_value(value: object) -> object:
    return visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@functools.cache
def environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("medtrace.site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_visible_value,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["markdown"] = markdown
    env.filters["item_href"] = item_href
    return env
