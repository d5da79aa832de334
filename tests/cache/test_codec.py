"""The caches' value format reads data only and keeps every type it accepts."""

from __future__ import annotations

import datetime as dt
import marshal
import pickle
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple

import msgpack
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from medtrace.cache.codec import MAX_DEPTH, pack, unpack
from medtrace.diagnostics import Diagnostic, Severity

pytestmark = pytest.mark.verifies("SRS-100")

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False)
    | st.text()
    | st.binary()
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=5) | st.integers(0, 99), inner, max_size=4)
        | st.frozensets(st.text(max_size=5), max_size=3)
        | st.sets(st.integers(-99, 99), max_size=3)
        | st.dates()
    ),
    max_leaves=20,
)


def _types(value: object) -> object:
    """The value's shape with the type of every part, to compare more than equality."""
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_types(v) for v in value])
    if isinstance(value, dict):
        return ("dict", {k: _types(v) for k, v in value.items()})
    return type(value).__name__


def _ext_depth(value: object) -> int:
    """How deep tuples and sets nest in ``value`` (the codec's extension types)."""
    if isinstance(value, list):
        return max(map(_ext_depth, value), default=0)
    if isinstance(value, dict):
        return max(map(_ext_depth, value.values()), default=0)
    if isinstance(value, tuple | set | frozenset):
        return 1 + max(map(_ext_depth, value), default=0)
    return 0


@given(_values)
def test_every_value_comes_back_with_its_types(value: object) -> None:
    assume(_ext_depth(value) <= MAX_DEPTH)
    again = unpack(pack(value))
    assert again == value
    assert _types(again) == _types(value)


def test_the_types_beyond_messagepack() -> None:
    diagnostic = Diagnostic("MT010", "link-dangling", Severity.ERROR, "x", line=3, related=("a",))
    when = dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    value = (diagnostic, dt.date(2026, 12, 5), when, {1, 2}, frozenset({"a"}))
    assert unpack(pack(value)) == value


@pytest.mark.parametrize(
    "value",
    [object(), [Exception("x")], 2**64, -(2**63) - 1, "\ud800", Severity.ERROR, {"k": print}],
)
def test_what_is_not_data_cannot_be_packed(value: object) -> None:
    with pytest.raises(TypeError):
        pack(value)


class _Boom:
    def __reduce__(self) -> tuple[object, ...]:
        return (eval, ("1/0",))


@pytest.mark.parametrize(
    "data",
    [
        pickle.dumps(_Boom()),
        marshal.dumps(compile("1/0", "x", "exec")),
        b"\xc1",  # a byte MessagePack never uses
        msgpack.packb(msgpack.ExtType(99, b"x")),  # an extension type medtrace does not know
        msgpack.packb(msgpack.ExtType(4, b"not a date")),
        msgpack.packb(msgpack.ExtType(6, msgpack.packb(["MT010"]))),  # not a diagnostic
        pack(["a", "b"])[:-1],  # cut short
    ],
)
def test_bytes_it_did_not_make_are_refused(data: bytes) -> None:
    """Pickles and marshalled code read as foreign bytes (or as inert data), never run."""
    try:
        value = unpack(data)
    except ValueError:
        return
    assert isinstance(value, int | str | bytes | list | tuple | dict | type(None))


def _nested(make: Callable[[object], object], depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = make(value)
    return value


@pytest.mark.parametrize(
    "make",
    [lambda v: [v], lambda v: (v,), lambda v: {"k": v}, lambda v: [(v,)], lambda v: {(v,)}],
    ids=["lists", "tuples", "dicts", "lists-and-tuples", "sets"],
)
def test_values_nested_too_deep_are_not_cached(make: Callable[[object], object]) -> None:
    """Deep YAML, say: refused when packed (unbounded, unpacking could exhaust the C stack)."""
    with pytest.raises(TypeError):
        pack(_nested(make, 3000))


def test_nesting_up_to_the_limit_comes_back() -> None:
    value = _nested(lambda v: (v,), MAX_DEPTH - 1)
    assert unpack(pack(value)) == value
    with pytest.raises(TypeError):
        pack(_nested(lambda v: (v,), MAX_DEPTH + 1))
    deep_lists = _nested(lambda v: [v], 400)
    assert unpack(pack(deep_lists)) == deep_lists


def test_tuples_without_lists_are_read_back_in_one_piece() -> None:
    """A tuple holding only scalars, extension values and such tuples is one extension value
    (type 7) whose nested tuples are plain arrays; one holding a list is type 1."""
    diagnostic = Diagnostic("MT010", "link-dangling", Severity.ERROR, "x", related=("a",))
    tree = (("SRS-1", 3, (True, None, 2.5, b"\x00")), dt.date(2026, 12, 5), {1}, diagnostic)
    assert msgpack.unpackb(pack(tree)).code == 7
    assert msgpack.unpackb(pack((1, [2]))).code == 1
    rows = [("a", 1), ("b", (2, dt.date(2026, 1, 2)))]
    assert msgpack.unpackb(pack(rows)).code == 8, "a list of such tuples: one piece too"
    inner = msgpack.unpackb(msgpack.unpackb(pack(("f.xml", rows))).data)
    assert [type(e).__name__ for e in inner] == ["str", "ExtType"] and inner[1].code == 8
    values = [tree, rows, ("f.xml", rows, [rows]), [("a", [1])], (1, [2, (3, (4,))]), ([],)]
    for value in [*values, ((), ((),)), {"k": (("a",), "b")}, [(), ()]]:
        again = unpack(pack(value))
        assert again == value
        assert _types(again) == _types(value)


class _Pair(NamedTuple):
    a: int
    b: int


@pytest.mark.parametrize(
    "value",
    [(1, _Pair(1, 2)), ((1, (OrderedDict(),)),), ((Severity.ERROR,),), ((2**64,),), (("\ud800",),)],
)
def test_a_tuple_holding_what_is_not_data_cannot_be_packed(value: object) -> None:
    with pytest.raises(TypeError):
        pack(value)
