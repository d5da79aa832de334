from display import rate_text
from rate import limited_rate


def test_limit() -> None:
    assert limited_rate(80.0, False) == 50.0
    assert limited_rate(10.0, True) == 0.0
    assert rate_text(5.0) == "5.0 mL/h"
