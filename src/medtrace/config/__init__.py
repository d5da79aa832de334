"""Configuration: ``medtrace.toml`` or ``[tool.medtrace]``, validated as a typed schema."""

from medtrace.config.load import (
    CONFIG_INVALID,
    find_config,
    key_line,
    load_config,
    parse_config,
    setting_location,
    validate,
)
from medtrace.config.schema import CLASS_RANK, Config, FieldSpec, KindSpec, RiskSpec

__all__ = [
    "CLASS_RANK",
    "CONFIG_INVALID",
    "Config",
    "FieldSpec",
    "KindSpec",
    "RiskSpec",
    "find_config",
    "key_line",
    "load_config",
    "parse_config",
    "setting_location",
    "validate",
]
