"""The landscape unit summary table."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from duty_tracker.core.reports.samples import sample_unit_summary
from duty_tracker.core.reports.summary_pdf import (
    NO_LEADERS,
    duty_chunks,
    render_summary_bytes,
    render_summary_pdf,
)
from tests.core.test_report_support import needs_poppler, page_size, pdffonts, pdftotext, squash


def test_duty_columns_are_split_evenly_into_tables_that_fit() -> None:
    assert duty_chunks(0) == []
    assert duty_chunks(5) == [range(0, 5)]
    chunks = duty_chunks(11)
    assert [len(c) for c in chunks] == [6, 5]
    assert sum(len(c) for c in duty_chunks(40)) == 40


@needs_poppler
def test_summary_is_landscape_embedded_and_shows_each_cell(tmp_path: Path) -> None:
    summary = sample_unit_summary(leaders=12)
    pdf = render_summary_pdf(summary, tmp_path / "summary.pdf")
    w, h = page_size(pdf)
    assert w > h and round(w) == 842 and round(h) == 595
    assert all(f.embedded for f in pdffonts(pdf))
    text = squash(pdftotext(pdf))
    assert "杭州市西湖区2025年度党政主要负责人履行推进法治建设第一责任人职责情况汇总表" in text
    for row in summary.rows:
        assert row.leader_name in text
    layout = pdftotext(pdf, layout=True)
    first = summary.rows[0]
    cell = first.cells[0]
    assert f"{cell.done}/{cell.required}" in layout
    done, applicable = first.done_duties()
    assert re.search(rf"\b{done}/{applicable}\b", layout)
    assert "合计：主要负责人12名，法定履职事项11项" in text


@needs_poppler
def test_an_empty_summary_says_so(tmp_path: Path) -> None:
    summary = replace(sample_unit_summary(leaders=1), rows=())
    text = squash(pdftotext(render_summary_pdf(summary, tmp_path / "e.pdf")))
    assert squash(NO_LEADERS) in text


def test_many_leaders_render() -> None:
    assert render_summary_bytes(sample_unit_summary(leaders=120)).startswith(b"%PDF")
