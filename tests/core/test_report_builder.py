"""From the store to the debrief model and the PDF: the numbers a test put in come out."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from duty_tracker.core.reports.debrief_builder import (
    DebriefBuilder,
    build_debrief,
    build_unit_summary,
    leaders_of_year,
)
from duty_tracker.core.reports.debrief_pdf import render_debrief_pdf
from duty_tracker.core.reports.summary_pdf import render_summary_pdf
from tests.core.test_report_support import needs_poppler, pdffonts, pdftotext, squash

TODAY = date(2025, 11, 20)


@pytest.fixture
def ledger(store, duty_ids, unit_id, tmp_path: Path) -> dict[str, int]:
    """A party head 孙喆 (whole year) and a government head 王堃 from 1 July, with records."""
    party = store.people.add_leader("孙喆", unit_id, "party", "区委书记", "2020-01-01")
    gov = store.people.add_leader("王堃", unit_id, "government", "区长", "2025-07-01")
    study = duty_ids["党委理论学习中心组学法"]
    report = duty_ids["常务会议听取法治政府建设情况汇报"]
    yearly = duty_ids["年终述职"]
    for day, book in (("2025-03-10", "《民法典》"), ("2025-06-12", "《行政复议法》"),
                      ("2025-09-18", "《宪法》")):
        store.records.add_record(performed_on=day, title=f"党委理论学习中心组学习{book}",
                                 kind="学法", leader_ids=[party], duty_ids=[study],
                                 minutes_number=f"区委纪要〔2025〕{day[5:7]}号")
    rid = store.records.add_record(performed_on="2025-08-01", title="政府常务会议听取法治政府建设汇报",
                                   kind="听取汇报", leader_ids=[gov, party], duty_ids=[report])
    evidence = tmp_path / "纪要扫描件.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")
    store.records.add_attachment(rid, evidence)
    store.records.add_record(performed_on="2024-12-30", title="上一年度的记录", kind="会议",
                             leader_ids=[party], duty_ids=[study])
    store.debriefs.save(party, 2025, achievements="（一）带头学法。全年学法3次。", plans="继续<努力>&")
    return {"party": party, "gov": gov, "study": study, "report": report, "yearly": yearly}


def test_debrief_model_from_the_store(store, ledger) -> None:
    r = build_debrief(store, ledger["party"], 2025, today=TODAY)
    assert (r.leader_name, r.unit_name, r.position, r.role_label) == (
        "孙喆", "西湖区", "区委书记", "党委主要负责人")
    assert r.terms_text == "2025年全年在任"
    rows = {row.duty_title: row for row in r.compliance}
    study = rows["党委理论学习中心组学法"]
    assert (study.required, study.done, study.status) == (2, 3, "达标")
    assert "常务会议听取法治政府建设情况汇报" not in rows  # a government duty
    quarterly = rows["季度法治工作例会"]
    assert [p.label for p in quarterly.periods] == ["第一季度", "第二季度", "第三季度", "第四季度"]
    assert quarterly.periods[3].status == "进行中" and quarterly.periods[0].status == "未达标"
    assert r.record_count == 4  # the 2024 record is not in 2025
    assert [rec.day.isoformat() for rec in r.records] == [
        "2025-03-10", "2025-06-12", "2025-08-01", "2025-09-18"]  # in date order
    assert {rec.section for rec in r.records} == {"study", "leadership"}
    assert rows["党委理论学习中心组学法"].section == "study"
    assert r.narrative.achievements.startswith("（一）带头学法")
    assert r.narrative.problems == ""
    assert [a.file_name for a in r.attachments] == ["纪要扫描件.pdf"]
    assert r.report_date == TODAY  # the year is not over: today
    assert "测试实施细则" in r.rule_set_title
    assert r.effective_byline == "中共西湖区委书记\u3000孙喆"


def test_partial_term_is_shown_and_counts_only_inside_it(store, ledger) -> None:
    r = build_debrief(store, ledger["gov"], 2025, today=TODAY)
    assert r.terms_text == "2025年7月1日至2025年12月31日"
    rows = {row.duty_title: row for row in r.compliance}
    half = rows["常务会议听取法治政府建设情况汇报"].periods
    assert [(p.label, p.status) for p in half] == [("上半年", "不适用"), ("下半年", "达标")]
    yearly = rows["年终述职"].periods[0]
    assert yearly.label.startswith("全年（7月1日至12月31日）")


def test_draft_fills_only_empty_sections(store, ledger) -> None:
    r = build_debrief(store, ledger["party"], 2025, today=TODAY, use_draft=True)
    assert r.narrative.achievements.startswith("（一）带头学法")  # the clerk's text kept
    assert "季度法治工作例会" in r.narrative.problems  # the draft names the missed duty
    assert r.narrative.plans == "继续<努力>&"


def test_a_prefetched_chunk_builds_the_same_debriefs_and_is_used_once(store, ledger,
                                                                       monkeypatch) -> None:
    """A batch reads a chunk's compliance in one query; each debrief is as built alone, and a
    leader's prefetched periods serve one build only (the next one reads the store again)."""
    import duty_tracker.core.reports.debrief_builder as module

    leaders = [ledger["party"], ledger["gov"]]
    alone = [build_debrief(store, i, 2025, today=TODAY) for i in leaders]
    builder = DebriefBuilder(store, 2025, today=TODAY)
    asked: list[list[int] | None] = []
    original = module.year_status

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        asked.append(kwargs.get("leader_ids"))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, "year_status", counted)
    builder.prefetch([*leaders, 9999])
    assert [builder.build(i) for i in leaders] == alone
    assert asked == [[*leaders, 9999]]
    assert builder.build(leaders[0]) == alone[0] and asked[-1] == [leaders[0]]
    builder.prefetch([leaders[1]])
    builder.prefetch([leaders[0]])  # a new chunk drops what the last one left unused
    builder.build(leaders[1])
    assert asked[-1] == [leaders[1]]


def test_unknown_leader_is_a_report_error(store, ledger) -> None:
    from duty_tracker.core.reports.errors import ReportError

    with pytest.raises(ReportError, match="不存在"):
        build_debrief(store, 9999, 2025, today=TODAY)


def test_leaders_of_year_and_summary(store, ledger) -> None:
    assert [row["name"] for row in leaders_of_year(store, 2025)] == ["孙喆", "王堃"]
    assert [row["name"] for row in leaders_of_year(store, 2024)] == ["孙喆"]
    s = build_unit_summary(store, 2025, today=TODAY)
    assert s.unit_name == "西湖区"
    assert [row.leader_name for row in s.rows] == ["孙喆", "王堃"]
    duty_titles = [d.title for d in s.duties]
    i = duty_titles.index("党委理论学习中心组学法")
    assert s.rows[0].cells[i] is not None and s.rows[0].cells[i].done == 3
    assert s.rows[1].cells[i] is None  # a party duty does not bind the government head


@needs_poppler
def test_pdf_from_the_store_has_the_numbers(store, ledger, tmp_path: Path) -> None:
    r = build_debrief(store, ledger["party"], 2025, today=TODAY)
    pdf = render_debrief_pdf(r, tmp_path / "孙喆.pdf")
    text = squash(pdftotext(pdf))
    assert "2025年度履行推进法治建设第一责任人职责情况的述职述法报告" in text
    assert "本年度共记录履职纪实4条" in text
    assert "区委纪要〔2025〕03号" in text and "党委理论学习中心组学习《民法典》" in text
    assert "继续<努力>&" in text and "纪要扫描件.pdf" in text
    assert "2025年11月20日" in text
    layout = pdftotext(pdf, layout=True)
    assert re.search(r"党委理论学习中心组学法\s+全年\s+2\s+3\s+达标", layout)
    assert all(f.embedded for f in pdffonts(pdf))
    summary = render_summary_pdf(build_unit_summary(store, 2025, today=TODAY), tmp_path / "s.pdf")
    assert "王堃" in squash(pdftotext(summary))
