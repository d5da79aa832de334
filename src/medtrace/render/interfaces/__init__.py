"""Interface documentation as Markdown, HTML fragments, text or JSON (registered by name)."""

from medtrace.render.interfaces.formats import FORMATS, render_interfaces

__all__ = ["FORMATS", "render_interfaces"]
