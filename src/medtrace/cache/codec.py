"""The caches' value format: MessagePack, data only, with the Python types kept apart.

MessagePack (``msgpack``, a C extension) reads nothing but data: no type is looked up by name and
no code is constructed or run, whatever the bytes say, unlike ``pickle`` or ``marshal``. Lists,
dicts, strings, bytes, numbers, booleans and ``None`` are MessagePack's own types; the few other
types a value may hold travel as extension types, each read back by a fixed function, so that a
value comes back with the very types it had (a tuple stays a tuple, a list a list):

====  ==========================================
code  Python type
====  ==========================================
1     ``tuple`` (its elements as an array)
2     ``set``
3     ``frozenset``
4     ``datetime.date`` (ISO format)
5     ``datetime.datetime`` (ISO format, with its offset)
6     :class:`medtrace.diagnostics.Diagnostic` (its ``to_tuple``)
7     ``tuple`` holding no list or dict at any depth (see below)
8     ``list`` of such tuples, at the top of a value or in a tuple of type 1
====  ==========================================

A tuple is the one type of these that values hold by the hundred thousand (a file's tags, the
test cases of a results file), and reading each one back costs a call into Python. So a tuple
whose elements are only scalars, values of the types above and such tuples again (no list, no
dict) is written as type 7: its nested tuples as plain arrays, read back in one call into msgpack
that makes every array a tuple. Any other tuple is type 1, and a list of type-7 tuples that it
holds (or that is the value itself) is type 8, read back in one call too.

A value holding anything else (an object, a subclass such as a named tuple, an integer beyond 64
bits, a string that is not valid Unicode) cannot be packed: :func:`pack` raises :class:`TypeError` and the caller does not cache
it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import msgpack

from medtrace.diagnostics import Diagnostic

__all__ = ["pack", "unpack", "unpack_any"]

_TUPLE, _SET, _FROZENSET, _DATE, _DATETIME, _DIAGNOSTIC = 1, 2, 3, 4, 5, 6
_TUPLE_TREE, _TREE_LIST = 7, 8
#: What a type-7 tuple may hold besides such tuples (exact types: a subclass is not data).
_TREE_LEAVES = frozenset({str, int, float, bool, bytes, type(None)})
_TREE_EXT = frozenset({set, frozenset, dt.date, dt.datetime, Diagnostic})


#: How deep extension types may nest (a tuple in a tuple...). Each level is unpacked by its own
#: call into msgpack, which needs C stack: unbounded, a few hundred levels crash the interpreter.
MAX_DEPTH = 16


def _packer(depth: int) -> Callable[[Any], msgpack.ExtType]:
    def default(value: Any) -> msgpack.ExtType:
        # strict_types: only exact lists, dicts, str... are packed natively; the rest comes here.
        kind = type(value)
        if depth >= MAX_DEPTH:
            raise TypeError(f"values nested deeper than {MAX_DEPTH} levels are not cached")
        if kind is tuple:
            if _tuple_tree(value, MAX_DEPTH - depth):
                return msgpack.ExtType(_TUPLE_TREE, _pack(value, depth + 1, tree=True))
            elements = [_tree_list(e, depth + 1) for e in value]
            return msgpack.ExtType(_TUPLE, _pack(elements, depth + 1))
        if kind is set:
            return msgpack.ExtType(_SET, _pack(list(value), depth + 1))
        if kind is frozenset:
            return msgpack.ExtType(_FROZENSET, _pack(list(value), depth + 1))
        if kind is dt.datetime:
            return msgpack.ExtType(_DATETIME, value.isoformat().encode())
        if kind is dt.date:
            return msgpack.ExtType(_DATE, value.isoformat().encode())
        if kind is Diagnostic:
            return msgpack.ExtType(_DIAGNOSTIC, _pack(list(value.to_tuple()), depth + 1))
        raise TypeError(f"cannot cache a value of type {kind.__name__}")

    return default


def _tuple_tree(value: tuple[Any, ...], levels: int) -> bool:
    """Whether ``value`` nests at most ``levels`` tuples deep and holds nothing but tuples,
    scalars and the extension types (so that its arrays can all be read back as tuples)."""
    if levels <= 0:
        return False
    for element in value:
        kind = type(element)
        if kind in _TREE_LEAVES or kind in _TREE_EXT:
            continue
        if kind is not tuple or not _tuple_tree(element, levels - 1):
            return False
    return True


def _tree_list(value: Any, depth: int) -> Any:
    """``value`` as type 8 if it is a list of type-7 tuples (to be packed at ``depth``), else
    as it is."""
    if type(value) is not list or not value or depth >= MAX_DEPTH:
        return value
    levels = MAX_DEPTH - depth - 1
    for element in value:
        if type(element) is not tuple or not _tuple_tree(element, levels):
            return value
    return msgpack.ExtType(_TREE_LIST, _pack(value, depth + 1, tree=True))


def _ext(code: int, data: bytes) -> Any:
    # Called by msgpack for every tuple, set, date... of a value: one Python call each, and
    # the nested value is read by ``_unpack`` directly (a C call, no frame of ours between).
    if code == _TUPLE_TREE:
        return _unpack_tree(data)
    if code == _TREE_LIST:
        return list(_unpack_tree(data))
    if code == _TUPLE:
        return tuple(_unpack(data))
    if code == _SET:
        return set(_unpack(data))
    if code == _FROZENSET:
        return frozenset(_unpack(data))
    if code == _DATE:
        return dt.date.fromisoformat(data.decode())
    if code == _DATETIME:
        return dt.datetime.fromisoformat(data.decode())
    if code == _DIAGNOSTIC:
        return Diagnostic.from_tuple(tuple(_unpack(data)))
    raise ValueError(f"unknown extension type {code}")


# @implements SRS-100
def pack(value: Any) -> bytes:
    """``value`` as bytes; :class:`TypeError` if it is not data that can be cached."""
    return _pack(_tree_list(value, 0), 0)


def _packers(*, tree: bool = False) -> list[msgpack.Packer]:
    """One packer per nesting depth (a nested value is packed while its parent's packer is
    busy), made once per thread and only when something is packed (a check answered from the
    cache only reads): packing a cache of 100,000 files makes a million calls. The packers of
    ``tree`` pack the nested tuples of a type-7 tuple as plain arrays, in C."""
    global _local
    if _local is None:
        import threading

        _local = threading.local()
    name = "trees_by_depth" if tree else "by_depth"
    packers: list[msgpack.Packer] | None = getattr(_local, name, None)
    if packers is None:
        # strict_types: a tuple goes to ``default``, a subclass (a named tuple) is refused
        packers = [
            msgpack.Packer(default=_packer(depth), strict_types=not tree, use_bin_type=True)
            for depth in range(MAX_DEPTH + 1)
        ]
        setattr(_local, name, packers)
    return packers


_local: Any = None


def _pack(value: Any, depth: int, *, tree: bool = False) -> bytes:
    try:
        return _packers(tree=tree)[depth].pack(value)  # type: ignore[no-any-return]
    except TypeError:
        raise
    except (ValueError, OverflowError, UnicodeEncodeError, RecursionError) as exc:
        raise TypeError(f"cannot cache the value: {exc}") from None


#: ``msgpack.unpackb`` with the options of this format, bound once: a C callable, so that
#: reading a value (and each value nested in an extension type) costs no Python frame.
_unpack: Callable[[bytes | memoryview], Any] = functools.partial(
    msgpack.unpackb, raw=False, strict_map_key=False, ext_hook=_ext
)
_unpack_tree: Callable[[bytes | memoryview], Any] = functools.partial(
    msgpack.unpackb, raw=False, strict_map_key=False, use_list=False, ext_hook=_ext
)


#: :func:`unpack` for loops over many values that catch every error themselves (a value that
#: is not this format's raises whatever msgpack or a converter raised).
unpack_any = _unpack


# @implements SRS-100
def unpack(data: bytes | memoryview) -> Any:
    """The value :func:`pack` made; :class:`ValueError` for bytes it did not make."""
    try:
        return _unpack(data)
    except ValueError:
        raise
    except Exception as exc:  # msgpack's own errors, a wrong date, a bad Diagnostic
        raise ValueError(f"not a cached value: {exc}") from exc
