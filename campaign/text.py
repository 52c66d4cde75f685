"""Text normalisation shared by header, tab, name and choice matching."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Written without \s so that pandas can run it in pyarrow's RE2 over a whole column.
SPACE_CLASS = "[ \t\n\r\f\v\u00a0\u2007\u2009\u202f]"
_SPACES = re.compile(SPACE_CLASS + "+")
_PARENS = re.compile(r"\([^)]*\)")
_TRAILING_PUNCT = re.compile(r"[\s.,;:!?*]+$")


def clean(value: object) -> str:
    """A cell's text with non-breaking spaces folded and surrounding spaces removed."""
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value)).strip()


def label_key(value: object) -> str:
    """Key for matching tab and column names and choice values.

    Case-insensitive, «ё» = «е», repeated spaces folded, text in parentheses and trailing
    punctuation ignored (sheet-template.md).
    """
    text = clean(value).lower().replace("ё", "е")
    text = _PARENS.sub(" ", text)
    text = _TRAILING_PUNCT.sub("", _SPACES.sub(" ", text).strip())
    return text


def strip_series(values: pd.Series) -> pd.Series:
    """Cells without surrounding white space (non-breaking spaces too); missing -> ""."""
    return values.astype("str").fillna("").str.strip()


def codes_of(values: pd.Series) -> tuple[np.ndarray, list]:
    """(code of each row, the distinct values as a list)."""
    codes, uniques = distinct(values)
    return codes, uniques.tolist()


def distinct(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(code of each row, the distinct values): pyarrow's dictionary encoding for text columns
    (several times faster than pandas.factorize on strings), pandas.factorize otherwise."""
    arrow = getattr(values.array, "_pa_array", None)
    if arrow is not None and values.dtype == "str" and not values.hasnans:
        encoded = arrow.combine_chunks().dictionary_encode()
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype("int64")
        return codes, pd.Series(pd.array(encoded.dictionary, dtype="str"))
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes.astype("int64"), pd.Series(uniques)


def text_codes(values: pd.Series) -> np.ndarray:
    """An integer per distinct non-empty text, -1 for an empty cell (no Python loop over rows)."""
    arrow = getattr(values.array, "_pa_array", None)
    if arrow is None or values.dtype != "str" or values.hasnans:
        codes, uniques = codes_of(values)
        empty = np.array([u == "" for u in uniques], dtype=bool)
        return np.where(empty[codes], -1, codes) if len(codes) else codes
    encoded = arrow.combine_chunks().dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype("int64")
    empty_at = pc.index(encoded.dictionary, "").as_py()
    return np.where(codes == empty_at, -1, codes) if empty_at >= 0 else codes


def map_distinct(values: pd.Series, function, dtype: object = "str") -> pd.Series:
    """`function` applied once per distinct value, spread back over the column."""
    codes, uniques = codes_of(values)
    return spread(codes, [function(value) for value in uniques], values.index, dtype)


def spread(codes: np.ndarray, results: list, index: pd.Index, dtype: object = "str") -> pd.Series:
    """`results[codes]` as a Series: one result per distinct value, taken for every row."""
    if dtype == "str":
        table = pd.array(results, dtype="str") if results else pd.array([], dtype="str")
        return pd.Series(table.take(codes), index=index)
    table = np.array(results, dtype=dtype)
    return pd.Series(table[codes] if len(codes) else np.array([], dtype=dtype), index=index)


def drop_characters(cells: pa.Array, characters: str) -> pa.Array:
    """`cells` (text, no nulls) without any of `characters`.

    Works on the UTF-8 bytes with numpy: one pass for all the characters, where pyarrow needs
    a pass per character or a regex several times slower. UTF-8 never has a character's bytes
    inside another character, so matching a character's byte sequence is exact.
    """
    cells = cells if cells.type == pa.large_string() else cells.cast(pa.large_string())
    if cells.null_count:
        cells = pc.fill_null(cells, "")
    size = len(cells)
    data, offsets = utf8_bytes(cells)
    drop = _character_bytes(data, characters)
    dropped = np.flatnonzero(drop)
    if not len(dropped):
        return cells
    # each offset moves back by the bytes dropped before it
    new_offsets = offsets - np.searchsorted(dropped, offsets)
    return pa.LargeStringArray.from_buffers(size, pa.py_buffer(new_offsets), pa.py_buffer(data[~drop]))


def utf8_bytes(cells: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(the UTF-8 bytes of a text array's cells, one after another, and each cell's offset in them
    from 0: one more than the cells), read from its buffers without a copy; a slice too."""
    cells = cells if cells.type == pa.large_string() else cells.cast(pa.large_string())
    if not len(cells):
        return np.zeros(0, np.uint8), np.zeros(1, np.int64)
    _, offsets_buffer, data_buffer = cells.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64, count=len(cells) + 1, offset=cells.offset * 8)
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, np.uint8)
    return data[offsets[0]:offsets[-1]], offsets - offsets[0]


def _character_bytes(data: np.ndarray, characters: str) -> np.ndarray:
    """Which bytes of UTF-8 `data` belong to one of `characters`."""
    encoded = {character.encode() for character in characters}
    longer = [code for code in encoded if len(code) > 1]
    # a comparison per byte value beats a table lookup (numpy widens the index to 8 bytes)
    drop = np.zeros(len(data), dtype=bool)
    for code in encoded - set(longer):
        drop |= data == code[0]
    if longer:
        starts = np.zeros(len(data), dtype=bool)
        for lead in {code[0] for code in longer}:
            starts |= data == lead
        candidates = np.flatnonzero(starts)  # few: Cyrillic letters start with other bytes
        for code in longer:
            at = candidates[candidates + len(code) <= len(data)]
            for k, byte in enumerate(code):
                at = at[data[at + k] == byte]
            for k in range(len(code)):
                drop[at + k] = True
    return drop
