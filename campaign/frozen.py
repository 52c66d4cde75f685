"""Tables that refuse to be changed: the report of a read is shared by every session.

`frozen_frame(df)` and `frozen_series(s)` are the same data (no copy) as a DataFrame or Series
that raises `SharedReportError` on anything that would change it in place: writing a value or
a column, deleting or inserting one, renaming its columns or index, growing it through `.loc`,
any method called with `inplace=True`, and in-place operators. Everything that makes a new
table (selection, `assign`, `copy`, arithmetic, `merge`, …) gives a plain, changeable pandas
object: with copy-on-write (always on in pandas 3) it shares the data until it is written to,
so a page can change what it derived and never what other sessions see.

`frozen_mapping(d)` is a dict that cannot be changed (a `MappingProxyType` over a copy).
"""

from __future__ import annotations

import functools
import inspect
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np
import pandas as pd

MESSAGE = ("the report of a read is shared by every session and cannot be changed: "
           "change a copy instead (frame.copy(), frame.assign(...), dict(mapping))")


class SharedReportError(TypeError):
    """Code tried to change the report every session is shown."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}: {MESSAGE}")


def _refuse(what: str):
    def refused(self, *args: Any, **kwargs: Any):
        raise SharedReportError(what)
    refused.__name__ = what
    return refused


class _Indexer:
    """`.loc`, `.iloc`, `.at`, `.iat` for reading only."""

    __slots__ = ("_indexer", "_name")

    def __init__(self, indexer: Any, name: str) -> None:
        self._indexer = indexer
        self._name = name

    def __getitem__(self, key: Any) -> Any:
        return self._indexer[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        raise SharedReportError(f".{self._name}[…] = …")

    def __call__(self, *args: Any, **kwargs: Any) -> "_Indexer":  # df.loc(axis=1)
        return _Indexer(self._indexer(*args, **kwargs), self._name)


def _indexer(name: str) -> property:
    def get(self):
        return _Indexer(getattr(super(type(self), self), name), name)
    return property(get)


def _without_inplace(method):
    @functools.wraps(method)
    def guarded(self, *args: Any, **kwargs: Any):
        if kwargs.get("inplace"):
            raise SharedReportError(f"{method.__name__}(inplace=True)")
        return method(self, *args, **kwargs)
    return guarded


_IN_PLACE_OPERATORS = ("__iadd__", "__isub__", "__imul__", "__itruediv__", "__ifloordiv__", "__imod__",
                       "__ipow__", "__iand__", "__ior__", "__ixor__")
_ATTRIBUTES = frozenset({"columns", "index", "name", "attrs", "flags"})


def _not_in_place(self, other: Any) -> Any:
    """`x += 1` on a frozen table binds the name to a new table instead (Python's fallback)."""
    return NotImplemented


def _guard(cls: type, base: type, refused: tuple[str, ...]) -> type:
    """Give `cls` the guards: `refused` methods raise, `inplace=True` raises, in-place operators
    fall back to making a new object, setting a column or an axis by attribute raises."""
    for name in refused:
        setattr(cls, name, _refuse(name))
    for name, member in inspect.getmembers(base, inspect.isfunction):
        if name.startswith("_") or name in refused:
            continue
        try:
            parameters = inspect.signature(member).parameters
        except (TypeError, ValueError):
            continue
        if "inplace" in parameters:
            setattr(cls, name, _without_inplace(member))
    for name in _IN_PLACE_OPERATORS:
        setattr(cls, name, _not_in_place)
    for name in ("loc", "iloc", "at", "iat"):
        setattr(cls, name, _indexer(name))
    return cls


class FrozenFrame(pd.DataFrame):
    """A DataFrame of the shared report (see the module's docstring)."""

    @property
    def _constructor(self):
        return pd.DataFrame

    @property
    def _constructor_sliced(self):
        return pd.Series

    def __setattr__(self, name: str, value: Any) -> None:
        if self.__dict__.get("_sealed") and not name.startswith("_") and (
                name in _ATTRIBUTES or name in self.columns):
            raise SharedReportError(f".{name} = …")
        super().__setattr__(name, value)

    def __reduce__(self):  # a pickled or deep-copied frozen frame comes back as a plain one
        return pd.DataFrame, (pd.DataFrame(self, copy=True),)


class FrozenSeries(pd.Series):
    """A Series of the shared report (see the module's docstring)."""

    @property
    def _constructor(self):
        return pd.Series

    @property
    def _constructor_expanddim(self):
        return pd.DataFrame

    def __setattr__(self, name: str, value: Any) -> None:
        if self.__dict__.get("_sealed") and not name.startswith("_") and name in _ATTRIBUTES:
            raise SharedReportError(f".{name} = …")
        super().__setattr__(name, value)

    def __reduce__(self):
        return pd.Series, (pd.Series(self, copy=True),)


_guard(FrozenFrame, pd.DataFrame, ("__setitem__", "__delitem__", "insert", "pop", "update", "isetitem"))
_guard(FrozenSeries, pd.Series, ("__setitem__", "__delitem__", "pop", "update"))


def _read_only_blocks(data: pd.DataFrame | pd.Series) -> None:
    for block in data._mgr.blocks:
        values = getattr(block, "values", None)
        if isinstance(values, np.ndarray):
            values.flags.writeable = False


def _sealed(data):
    object.__setattr__(data, "_sealed", True)  # from now on its attributes are guarded too
    return data


def frozen_frame(frame: pd.DataFrame) -> FrozenFrame:
    """`frame`'s data, no copy, as a table that cannot be changed (its numbers read-only)."""
    if isinstance(frame, FrozenFrame):
        return frame
    _read_only_blocks(frame)
    frozen = FrozenFrame(frame, copy=False)
    frozen.attrs = dict(frame.attrs)  # pandas' constructor drops them: a series' «undated» count was lost
    return _sealed(frozen)


def frozen_series(series: pd.Series) -> FrozenSeries:
    """`series`' data, no copy, as a series that cannot be changed (its numbers read-only)."""
    if isinstance(series, FrozenSeries):
        return series
    _read_only_blocks(series)
    frozen = FrozenSeries(series, copy=False)
    frozen.attrs = dict(series.attrs)
    return _sealed(frozen)


def frozen_mapping(mapping: Mapping) -> Mapping:
    """A read-only view of a copy of `mapping` (a dict a page can read, not change)."""
    return MappingProxyType(dict(mapping))
