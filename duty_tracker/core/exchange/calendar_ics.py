"""Deadlines as an iCalendar file (.ics) that Outlook, WPS and phone calendars import.

Each event is an all-day event on a deadline with two reminders (a month and three days
before), a summary a clerk understands at a glance and a description with who still owes what
at the time of export. Event UIDs are stable (built from the duty's or task's uuid and the
date), so importing a newer export updates the events instead of doubling them.

Written by hand after RFC 5545 (it is a small text format): CRLF line ends, text escaped
(``\\``, ``;``, ``,``, newlines), lines folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from duty_tracker.core.helpers import write_atomically

PRODID = "-//duty_tracker//履职纪实//ZH"
#: Reminders before each deadline, in days.
ALARM_DAYS = (30, 3)


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str
    day: date
    summary: str
    description: str = ""


def escape_text(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1)."""
    out, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out)


def _event_lines(event: CalendarEvent, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(event.summary)}",
        "TRANSP:TRANSPARENT",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    for days in ALARM_DAYS:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:-P{days}D",
                  f"DESCRIPTION:{escape_text(event.summary)}", "END:VALARM"]
    lines.append("END:VEVENT")
    return lines


def calendar_text(events: Iterable[CalendarEvent], name: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(name)}"]
    for event in sorted(events, key=lambda e: (e.day, e.uid)):
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def write_calendar(path: Path, events: list[CalendarEvent], name: str) -> Path:
    """Write the calendar atomically; returns the path written."""
    data = calendar_text(events, name).encode("utf-8")
    return write_atomically(path, lambda fh: fh.write(data))
