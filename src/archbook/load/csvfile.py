"""Read a CSV file that a system names, every mistake a `Problem` with file, row and column.

pandas alone turns a non-UTF-8 file into `UnicodeDecodeError`, a row with too many fields
into `ParserError`, and an empty file into `EmptyDataError`; here each is one located message.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from archbook.errors import Problem, ValidationFailed
from archbook.load.yamlsrc import MAX_BYTES

__all__ = ["read_csv", "bad_numbers"]


def _fail(file: str, row: int | None, column: str, message: str, hint: str) -> ValidationFailed:
    return ValidationFailed([Problem(file, row, column, message, hint)])


def _text(path: Path, file: str) -> str:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _fail(file, None, "", f"the CSV is {size / 2**20:.1f} MB, more than the {MAX_BYTES / 2**20:.1f} MB "
                    "archbook reads", "cut the file into a shorter period")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[:exc.start].count(b"\n") + 1
        raise _fail(file, row, "", f"not UTF-8 text: byte 0x{raw[exc.start]:02x} in row {row}",
                    "save the CSV as UTF-8") from None


def read_csv(path: Path, file: str | None = None) -> pd.DataFrame:
    """The CSV as a DataFrame of strings and numbers; `ValidationFailed` for anything unreadable."""
    file = file or str(path)
    text = _text(path, file)
    try:
        return pd.read_csv(io.StringIO(text))
    except pd.errors.EmptyDataError:
        raise _fail(file, 1, "", "the CSV is empty", "the first row names the columns, e.g. timestamp,user,class") from None
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if found:
            want, row, got = found.groups()
            raise _fail(file, int(row), "", f"row {row} has {got} fields, the header has {want}",
                        "remove the extra commas, or quote a value that holds a comma") from None
        raise _fail(file, None, "", f"cannot read the CSV: {str(exc).strip()}", "check quotes and commas") from None


def bad_numbers(frame: pd.DataFrame, column: str) -> tuple[int, str] | None:
    """(CSV row, text) of the first non-empty cell of `column` that is not a number; None when all are."""
    values = frame[column]
    numeric = pd.to_numeric(values, errors="coerce")
    bad = numeric.isna() & values.notna()
    if not bad.any():
        return None
    index = int(bad.to_numpy().argmax())
    return index + 2, str(values.iloc[index])
