"""The published documentation set (``medtrace build``): the static site, its search, its PDF."""

__all__: list[str] = []
