"""medtrace: IEC 62304 evidence as code."""

__version__ = "0.1.0"
