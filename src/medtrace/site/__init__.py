"""The published documentation set (``medtrace build``): a static site that works from
``file://``, its print version and the exports beside it. :mod:`medtrace.site.build` is the
entry point; the pages are in :mod:`medtrace.site.pages`."""

__all__: list[str] = []
