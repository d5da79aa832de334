"""Diagnostic codes of the loading stage."""

from medtrace.diagnostics import Severity, define

FILE_UNREADABLE = define(
    "MT001", "file-unreadable", Severity.ERROR, "An item file cannot be read or decoded."
)
YAML_INVALID = define("MT002", "yaml-invalid", Severity.ERROR, "YAML or front matter is malformed.")
ITEM_INVALID = define(
    "MT003", "item-invalid", Severity.ERROR, "A file or entry is not a well-formed item."
)
KIND_UNKNOWN = define(
    "MT006", "kind-unknown", Severity.ERROR, "The kind of an item is unknown or cannot be told."
)
ITEMS_MISSING = define(
    "MT016", "items-missing", Severity.WARNING, "An entry of paths.items matches no item file."
)
ID_FILE_NAME = define(
    "MT018",
    "id-file-name",
    Severity.WARNING,
    "A Markdown item's 'id' field and its file name give different IDs.",
)
