"""Configuration: ``medtrace.toml`` or ``[tool.medtrace]``, validated as a typed schema."""

from medtrace.config.load import CONFIG_INVALID, find_config, load_config, parse_config, validate
from medtrace.config.schema import CLASS_RANK, Config, FieldSpec, KindSpec, RiskSpec

__all__ = [
    "CLASS_RANK",
    "CONFIG_INVALID",
    "Config",
    "FieldSpec",
    "KindSpec",
    "RiskSpec",
    "find_config",
    "load_config",
    "parse_config",
    "validate",
]
