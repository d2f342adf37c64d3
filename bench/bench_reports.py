"""Benchmark of the debrief PDFs (SPEC.md §6): not a test, prints numbers and verdicts.

    python bench/bench_reports.py [--leaders 500] [--records 50] [--repeat 20] [--skip-batch]

1. one report after the first (fonts registered, caches warm), built from a realistic model of
   about 50 records: budget ≤ 0.1 s;
2. the floor: plain reportlab drawing the same document (the same text in the same fonts,
   Paragraphs and Tables in a SimpleDocTemplate, to memory, no escaping, fallback, balanced
   title, page numbers or atomic write): budget ≤ 1.5× the floor;
3. ``report --all`` on a demo database of ``--leaders`` leaders with ``--records`` records each
   (both cores): budget ≤ 40 s for 500.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import verdict  # noqa: E402
from duty_tracker.core.reports.cjkwrap import reportlab_defaults  # noqa: E402
from duty_tracker.core.reports.debrief_builder import fill_with_draft  # noqa: E402
from duty_tracker.core.reports.debrief_document import plan_debrief  # noqa: E402
from duty_tracker.core.reports.debrief_model import DebriefReport  # noqa: E402
from duty_tracker.core.reports.debrief_pdf import render_debrief_pdf  # noqa: E402
from duty_tracker.core.reports.fonts import FontRole, get_font_set  # noqa: E402
from duty_tracker.core.reports.samples import sample_debrief  # noqa: E402


def plain_reportlab(report: DebriefReport) -> bytes:
    """The same document drawn with nothing but reportlab (the floor): the same text (from the
    same layout plan) in the same fonts, Paragraphs and Tables in a SimpleDocTemplate."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    fonts = get_font_set()
    plan = plan_debrief(report)
    fang, hei = fonts.font_name(FontRole.FANGSONG), fonts.font_name(FontRole.HEITI)
    body = ParagraphStyle("b", fontName=fang, fontSize=16, leading=28.95, firstLineIndent=32,
                          wordWrap="CJK")
    h1 = ParagraphStyle("h", parent=body, fontName=hei)
    title = ParagraphStyle("t", parent=body, fontName=fonts.font_name(FontRole.XIAOBIAOSONG),
                           fontSize=22, leading=33, alignment=1, firstLineIndent=0)
    cell = ParagraphStyle("c", fontName=fang, fontSize=12, leading=16, wordWrap="CJK")
    story = [Paragraph("".join(plan.title_lines), title), Spacer(1, 14)]
    story += [Paragraph(line, body) for line in plan.byline]
    story += [Paragraph(p.text, h1 if p.style == "heading1" else body) for p in plan.body]
    story += [Paragraph(f"附件：{t}", body) for t in plan.attachments]
    story += [Paragraph(plan.signature, body), Paragraph(plan.date_text, body)]
    for appendix in plan.appendices:
        story += [PageBreak(), Paragraph(appendix.label, h1), Paragraph(appendix.title, title),
                  Paragraph(appendix.intro, body)]
        rows = [[c.header for c in appendix.table.columns]]
        rows += [[Paragraph(text, cell) for text in row] for row in appendix.table.rows]
        story.append(Table(rows, colWidths=[c.width for c in appendix.table.columns],
                           repeatRows=1))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, topMargin=37 * mm, leftMargin=28 * mm,
                      rightMargin=26 * mm, bottomMargin=35 * mm).build(story)
    return buf.getvalue()


def _median_time(fn, repeat: int) -> float:  # noqa: ANN001
    """Median of ``repeat`` runs; the minimum is printed too, since on a shared machine the
    median wanders with the neighbours' load."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    print(f"  ({getattr(fn, '__name__', 'run')}: min {min(times) * 1000:.1f} ms, "
          f"median {statistics.median(times) * 1000:.1f} ms over {repeat})")
    return statistics.median(times)


def bench_single(repeat: int) -> None:
    report = fill_with_draft(sample_debrief("孙喆", records_per_group=10))  # ~50 records
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.pdf"
        t = time.perf_counter()
        render_debrief_pdf(report, out)
        first = time.perf_counter() - t
        c0 = time.process_time()
        ours = _median_time(lambda: render_debrief_pdf(report, out), repeat)
        cpu_each = (time.process_time() - c0) / repeat
        with reportlab_defaults():  # reportlab's own line breaking, not ours
            plain_reportlab(report)  # warm
            floor = _median_time(lambda: plain_reportlab(report), repeat)
    ratio = ours / floor
    print(f"CPU time per report: {cpu_each * 1000:.1f} ms")
    print(f"fonts: {get_font_set().describe()}")
    print(f"first report (font registration included): {first * 1000:.0f} ms")
    verdict("one debrief PDF after the first", ours, 0.1, floor=floor)
    verdict("one debrief PDF vs plain reportlab", ratio, 1.5, unit="×",
            note=f"{ours * 1000:.1f} ms against {floor * 1000:.1f} ms")


def bench_batch(leaders: int, records: int) -> None:
    from duty_tracker.cli.main import main as cli_main
    from duty_tracker.cli.report_commands import register  # noqa: F401 - must import

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        year = 2025
        t = time.perf_counter()
        rc = _run_cli(cli_main, ["--db", str(db), "demo", "--leaders", str(leaders),
                                 "--years", "1", "--records", str(records),
                                 "--today", f"{year}-12-20"])
        print(f"demo database: {leaders} leaders × {records} records in "
              f"{time.perf_counter() - t:.1f} s (rc={rc})")
        out = Path(tmp) / "out"
        import resource

        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        rc = _run_report_all(db, year, out)
        elapsed = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        n = len(list(out.glob("*.pdf")))
        budget = 40.0 * leaders / 500
        verdict(f"{leaders} debrief PDFs (report --all, two cores)", elapsed, budget,
                note=f"{n} written, exit {rc}, {elapsed / max(n, 1) * 1000:.0f} ms each")
        print(f"  CPU time of the workers: {cpu:.1f} s ({cpu / max(n, 1) * 1000:.0f} ms per "
              f"report); on an otherwise idle 2-core machine about {cpu / 2:.1f} s wall")


def _run_cli(cli_main, argv: list[str]) -> int:  # noqa: ANN001
    import contextlib

    with contextlib.redirect_stdout(io.StringIO()):
        return cli_main(argv)


def _run_report_all(db: Path, year: int, out: Path) -> int:
    import contextlib

    from duty_tracker.cli.main import main as cli_main

    with contextlib.redirect_stdout(io.StringIO()):
        return cli_main(["--db", str(db), "report", "--all", "--year", str(year), "-o", str(out),
                         "--draft", "--jobs", "2", "--today", f"{year}-12-20"])


def main(argv: list[str] | None = None) -> bool:
    """Both parts with their defaults (``run_all``), or as the command line asks."""
    from bench.common import LINES

    first = len(LINES)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--leaders", type=int, default=500)
    ap.add_argument("--records", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--skip-batch", action="store_true")
    args = ap.parse_args([] if argv is None else argv)
    bench_single(args.repeat)
    if not args.skip_batch:
        bench_batch(args.leaders, args.records)
    return all(line.ok for line in LINES[first:])


if __name__ == "__main__":
    raise SystemExit(0 if main(sys.argv[1:]) else 1)
