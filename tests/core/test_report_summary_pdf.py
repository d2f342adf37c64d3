"""The landscape unit summary table: heads in separate groups, missed periods visible, the
form's header, compact for many leaders."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from duty_tracker.core.demo import build_demo
from duty_tracker.core.reports.debrief_builder import build_unit_summary
from duty_tracker.core.reports.samples import sample_unit_summary
from duty_tracker.core.reports.summary_builder import summary_columns
from duty_tracker.core.reports.summary_pdf import (
    NO_LEADERS,
    duty_chunks,
    render_summary_bytes,
    render_summary_pdf,
)
from tests.core.test_report_support import (
    needs_poppler,
    open_seeded,
    page_count,
    page_size,
    pdffonts,
    pdftotext,
    squash,
)

TODAY = date(2025, 12, 20)


def test_duty_columns_are_split_evenly_into_tables_that_fit() -> None:
    assert duty_chunks(0) == []
    assert duty_chunks(5) == [range(0, 5)]
    assert sum(len(c) for c in duty_chunks(40)) == 40
    assert len({len(c) for c in duty_chunks(11)}) <= 2


@needs_poppler
def test_summary_is_landscape_embedded_and_grouped_by_head(tmp_path: Path) -> None:
    summary = sample_unit_summary(leaders=12)
    pdf = render_summary_pdf(summary, tmp_path / "summary.pdf")
    w, h = page_size(pdf)
    assert w > h and round(w) == 842 and round(h) == 595
    assert all(f.embedded for f in pdffonts(pdf))
    text = squash(pdftotext(pdf))
    assert "杭州市西湖区2025年度党政主要负责人履行推进法治建设第一责任人职责情况汇总表" in text
    assert "填报单位（盖章）：杭州市西湖区" in text and "填报人：" in text
    assert "填报日期：2025年12月31日" in text
    party, government = text.index("一、党委主要负责人（6名）"), text.index("二、政府主要负责人（6名）")
    assert party < government
    for i, row in enumerate(summary.rows):  # each head in his own group
        at = text.index(row.leader_name)
        assert (party < at < government) if i % 2 == 0 else at > government, row.leader_name
    assert "政府常务会议学法" in text[government:] and "政府常务会议学法" not in text[:government]
    assert "下半年1/1" in text or "下半年0/1" in text  # a missed half-year is named
    assert "合计：党委主要负责人6名、政府主要负责人6名，共12名" in text


@needs_poppler
def test_an_empty_summary_says_so(tmp_path: Path) -> None:
    summary = replace(sample_unit_summary(leaders=1), rows=())
    text = squash(pdftotext(render_summary_pdf(summary, tmp_path / "e.pdf")))
    assert squash(NO_LEADERS) in text


def test_many_leaders_render() -> None:
    assert render_summary_bytes(sample_unit_summary(leaders=120)).startswith(b"%PDF")


def test_one_clause_split_by_body_is_one_column(store, unit_id) -> None:
    duties = [
        {"id": i, "title": f"听取{body}党组工作汇报", "target": body, "article_ref": "第七条（一）",
         "source_text": "每年分别听取本级人大、政协、法院党组工作汇报。", "period": "year",
         "role": "party", "min_count": 1}
        for i, body in enumerate(("人大", "政协", "法院"), 1)
    ] + [{"id": 9, "title": "年终述职", "target": None, "article_ref": "第二十条",
          "source_text": "", "period": "year", "role": "all", "min_count": 1}]
    columns = summary_columns(duties)
    assert [c.duty.title for c in columns] == ["听取人大、政协、法院党组工作汇报", "年终述职"]
    assert columns[0].duty_ids == (1, 2, 3)


def test_a_missed_half_year_is_not_hidden_in_the_year(store, duty_ids, unit_id) -> None:
    gov = store.people.add_leader("王堃", unit_id, "government", "区长", "2020-01-01")
    duty = duty_ids["常务会议听取法治政府建设情况汇报"]
    for day in ("2025-02-01", "2025-03-01", "2025-04-01"):  # 3 in the first half, 0 in the second
        store.records.add_record(performed_on=day, title="常务会议听取汇报", kind="听取汇报",
                                 leader_ids=[gov], duty_ids=[duty])
    s = build_unit_summary(store, 2025, today=date(2026, 1, 5))
    column = [d.title for d in s.duties].index("常务会议听取法治政府建设情况汇报")
    cell = s.rows[0].cells[column]
    assert (cell.done, cell.required, cell.status) == (3, 2, "未达标")
    assert cell.misses == ("下半年0/1",)


@needs_poppler
def test_twenty_demo_leaders_fit_on_two_pages_with_unit_and_post_apart(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    with open_seeded(db) as store:
        build_demo(store, leaders=20, years=1, records=30, today=TODAY)
        summary = build_unit_summary(store, 2025, today=TODAY)
    pdf = render_summary_pdf(summary, tmp_path / "s.pdf")
    assert page_count(pdf) <= 2
    layout = pdftotext(pdf, layout=True)
    assert "杭州市市委书记" not in layout
    assert re.search(r"杭州市\s+市委书记", layout)
    titles = [d.title for d in summary.duties]
    assert "听取人大、政府、政协、法院、检察院党组工作汇报" in titles  # one column, not five
    assert not any(t.startswith("听取人大党组") for t in titles)
