"""Renderers turn data into text; they register by name (``--format NAME``)."""

from medtrace.render.diagnostics import FORMATS, Summary, render_diagnostics, summary_line

__all__ = ["FORMATS", "Summary", "render_diagnostics", "summary_line"]
