"""Turning project text into HTML: the Jinja2 environment (autoescaping, every string with its
control characters made visible) and Markdown through markdown-it-py (CommonMark, raw HTML
off, unsafe link schemes refused by its link validator)."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from medtrace.render.escaping import visible
from medtrace.results import Outcome
from medtrace.site.names import item_href

if TYPE_CHECKING:
    import jinja2
    from markdown_it import MarkdownIt

__all__ = ["badge", "environment", "idlink", "markdown", "outcome"]


@functools.cache
def _markdown_it() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


#: A line of prose that CommonMark renders as itself: it starts with a letter, holds no
#: character that could open markup, an entity or a link, and has no space at its ends.
_PROSE_LINE = re.compile(r"[A-Za-z][^*_`\[\]<>!#|&\\~\t\n\r]*(?<! )")


_HEADING = re.compile(r"(#{1,6}) +(.*)")


def _prose(text: str) -> str | None:
    """The HTML of text that is only headings and paragraphs of plain prose (the common case,
    rendered without the parser, to the same HTML), or None."""
    out = []
    for block in text.strip("\n").split("\n\n"):
        lines = block.split("\n")
        heading = _HEADING.fullmatch(lines[0]) if len(lines) == 1 else None
        if heading is not None and _PROSE_LINE.fullmatch(heading.group(2)):
            level = len(heading.group(1))
            out.append(f"<h{level}>{_quoted(heading.group(2))}</h{level}>\n")
        elif all(_PROSE_LINE.fullmatch(line) for line in lines):
            out.append(f"<p>{_quoted(chr(10).join(lines))}</p>\n")
        else:
            return None
    return "".join(out)


def _quoted(text: str) -> str:
    """Prose escaped as markdown-it does: only '"' can be in it ('&', '<', '>' cannot)."""
    return text.replace('"', "&quot;")


# @implements SRS-213
@functools.lru_cache(maxsize=1 << 16)
def markdown(text: str) -> Markup:
    """Item text as HTML: CommonMark with tables; raw HTML shown as text; ``javascript:`` and
    other unsafe links are left as text by markdown-it's validator. Plain prose (most item
    text) gives the same HTML without the parser."""
    if not text:
        return Markup("")
    shown = visible(text, "\n\t")
    return Markup(_prose(shown) or _markdown_it().render(shown))


def idlink(item_id: str, root: str, resolved: bool = True) -> Markup:
    """A link to an item's page, its ID never broken; a name that resolves nowhere marked."""
    shown = escape(visible(item_id))
    if not resolved:
        return Markup(f'<span class="id st-missing" title="no item has this ID">{shown}</span>')
    return Markup(f'<a class="id" href="{escape(root)}{escape(item_href(item_id))}">{shown}</a>')


def badge(status: str | None) -> Markup:
    """The document status (draft, review, approved, obsolete) as a badge."""
    if not status:
        return Markup("")
    shown = escape(visible(status))
    return Markup(f'<span class="badge badge-{shown}">{shown}</span>')


def outcome(value: Outcome | None) -> Markup:
    """A test's latest outcome as a coloured badge."""
    if value is None:
        return Markup('<span class="badge st st-not-run">no result</span>')
    return Markup(f'<span class="badge st st-{value.value}">{value.value}</span>')


def _visible_value(value: object) -> object:
    """Control characters made visible; line breaks and tabs are whitespace in HTML (a folded
    YAML value ends with one) and stay as they are."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value, keep="\n\t")
    return value


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
    env.globals.update(idlink=idlink, badge=badge, outcome=outcome)
    return env
