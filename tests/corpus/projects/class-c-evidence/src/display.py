"""Text shown on the driver's display."""


def rate_text(rate_ml_h: float) -> str:
    return f"{rate_ml_h:.1f} mL/h"
