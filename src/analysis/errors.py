"""Errors a researcher can act on.

>>> raise InputError("data/raw/x.csv: date column missing; add a 'published' column")
Traceback (most recent call last):
...
analysis.errors.InputError: data/raw/x.csv: date column missing; add a 'published' column

The CLI prints these as one line (no traceback) and exits with status 2. Every message names the
file or setting at fault and says what to do about it.
"""


class InputError(ValueError):
    """Bad input (file, column, parameter) that the user can fix; message says how."""


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message carries the install hint."""
