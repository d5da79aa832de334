"""The architecture model (IEC 62304 5.3) and its views: what the diagrams of ``medtrace arch``
draw, built from the project's items."""

from medtrace.architecture.model import (
    Architecture,
    Element,
    Environment,
    Flow,
    Interface,
    build_architecture,
)
from medtrace.architecture.views import Box, Edge, Group, View, build_view, view_names

__all__ = [
    "Architecture",
    "Box",
    "Edge",
    "Element",
    "Environment",
    "Flow",
    "Group",
    "Interface",
    "View",
    "build_architecture",
    "build_view",
    "view_names",
]
