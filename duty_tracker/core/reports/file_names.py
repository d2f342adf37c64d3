"""The one rule for the file names of reports, used by a single export, the batch and the CLI.

"2025年度述职报告-0007-孙喆.pdf": sorted by leader number in a folder of a whole year, readable,
unique even when two leaders share a name, and nothing in it that Windows refuses.
"""

from __future__ import annotations

import re

_BAD_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def clean_file_part(text: str, fallback: str) -> str:
    """``text`` made safe for a Windows file name (at most 40 characters)."""
    return _BAD_FILE_CHARS.sub("_", text or "").strip(" .")[:40] or fallback


def report_file_name(leader_id: int, leader_name: str, year: int, suffix: str = ".pdf") -> str:
    """The file of one leader's debrief of ``year`` (``suffix`` ".pdf" or ".docx")."""
    return f"{year}年度述职报告-{int(leader_id):04d}-{clean_file_part(leader_name, '负责人')}{suffix}"


def summary_file_name(year: int, unit_name: str) -> str:
    """The unit summary table of ``year``."""
    return f"{year}年度履职情况汇总表-{clean_file_part(unit_name, '全部单位')}.pdf"


def annual_report_file_name(year: int, institution: str, suffix: str = ".pdf") -> str:
    """The unit's annual report of ``year``: "杭州市司法局2025年法治政府建设年度报告.pdf"."""
    return f"{clean_file_part(institution, '本单位')}{year}年法治政府建设年度报告{suffix}"
