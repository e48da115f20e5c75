"""Parse the dates case-management exports contain: ISO, UK day-first, Excel serial numbers, datetimes.

UK records write 03/04/2024 for the 3rd of April, so slashed dates are always read day first; an
ambiguous US-style date is never guessed. Excel stores dates as days since 1899-12-30.
"""

from __future__ import annotations

import datetime as dt
import re

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers from 1 Jan 1950 to 31 Dec 2099: plausible note dates, and not easily mistaken for a year.
EXCEL_SERIAL_RANGE = (18264, 73050)

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$")


class DateError(ValueError):
    """A value that is not a date we can read; the message says why, without echoing note text."""


def parse_date(value) -> dt.date:
    """Return the date in `value`, or raise DateError."""
    if value is None:
        raise DateError("no date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise DateError("not a date")
    if isinstance(value, (int, float)):
        return _from_serial(float(value))
    text = str(value).strip()
    if not text:
        raise DateError("no date")
    m = _ISO.match(text)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DAY_FIRST.match(text)
    if m:
        year = int(m.group(3))
        if year < 100:
            year += 2000 if year < 70 else 1900
        return _make(year, int(m.group(2)), int(m.group(1)))
    m = _WORDY.match(text)
    if m and m.group(2)[:3].lower() in _MONTHS:
        return _make(int(m.group(3)), _MONTHS[m.group(2)[:3].lower()], int(m.group(1)))
    if _SERIAL.match(text):
        return _from_serial(float(text))
    raise DateError("unrecognised date format")


def _make(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError("impossible calendar date") from None


def _from_serial(serial: float) -> dt.date:
    low, high = EXCEL_SERIAL_RANGE
    if not low <= serial <= high:
        raise DateError("number outside the range of Excel date serials")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))
