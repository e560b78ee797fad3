"""FuzzyDate -> the words a reader sees ("27 September 2020", "September 2020", "2020")."""

from __future__ import annotations

from briefing.model import FuzzyDate

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def date_label(date: FuzzyDate) -> str:
    if date.month is None:
        return str(date.year)
    if date.day is None:
        return f"{MONTHS[date.month - 1]} {date.year}"
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def range_label(date: FuzzyDate, end: FuzzyDate | None, approximate: bool = False) -> str:
    """"12–16 July 2020", "1992 – May 1993", with "c." when the date is approximate."""
    label = date_label(date)
    if end is not None and end != date:
        if date.year == end.year and date.month == end.month and date.day and end.day:
            label = f"{date.day}–{end.day} {MONTHS[date.month - 1]} {date.year}"  # type: ignore[index]
        elif date.year == end.year and date.month and end.month and not date.day and not end.day:
            label = f"{MONTHS[date.month - 1]}–{MONTHS[end.month - 1]} {date.year}"
        else:
            label = f"{label} – {date_label(end)}"
    return f"c. {label}" if approximate else label
