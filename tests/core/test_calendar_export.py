"""The deadlines calendar (.ics): read back by an independent parser (icalendar), with Chinese
text folded without breaking a character, two reminders per event, stable UIDs."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from icalendar import Calendar

from duty_tracker.core.exchange.calendar_ics import CalendarEvent, calendar_text, fold
from duty_tracker.core.services.exchange import CalendarExport, export_calendar


def _read(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def test_every_required_period_end_is_an_event_with_two_reminders(store, unit_id, duty_ids, tmp_path: Path) -> None:
    leader = store.people.add_leader("王建国", unit_id, "party", "区委书记", "2020-01-01")
    store.records.add_record(performed_on="2025-03-01", title="学法", kind="学法", leader_ids=[leader],
                             duty_ids=[duty_ids["党委理论学习中心组学法"]])
    options = CalendarExport(path=tmp_path / "日历", year=2025, today=date(2025, 9, 1))
    count = export_calendar(store, options)
    events = [c for c in _read(options.target).walk() if c.name == "VEVENT"]
    # the party head: 中心组学法 (year), 年终述职 (year), 季度例会 (4 quarters)
    assert count == len(events) == 6
    study = next(e for e in events if "中心组学法" in str(e["SUMMARY"]))
    assert study.decoded("DTSTART") == date(2025, 12, 31)
    assert "王建国：已完成 1/2，进行中" in str(study["DESCRIPTION"])
    assert [a["TRIGGER"].dt for a in study.walk("VALARM")] == [timedelta(days=-30), timedelta(days=-3)]
    again = tmp_path / "again.ics"
    export_calendar(store, CalendarExport(path=again, year=2025, today=date(2025, 10, 1)))
    assert {str(e["UID"]) for e in events} == {str(e["UID"]) for e in _read(again).walk("VEVENT")}


def test_text_is_escaped_and_folded_on_character_boundaries() -> None:
    summary = "【截止】关于“法治、建设；学法,述职”\\的专题会议" * 4
    text = calendar_text([CalendarEvent("u1@x", date(2025, 6, 30), summary, "第一行\n第二行")], "测试")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    event = Calendar.from_ical(text.encode("utf-8")).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == summary and str(event["DESCRIPTION"]) == "第一行\n第二行"
    assert fold("短") == "短"
