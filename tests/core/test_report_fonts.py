"""Font discovery, registration and per-character fallback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from duty_tracker.core.reports import fonts as F
from duty_tracker.core.reports.fonts import (
    PLACEHOLDER,
    FontFile,
    FontRole,
    FontSet,
    choose_fonts,
    get_font_set,
)
from duty_tracker.core.reports.samples import RARE_NAMES

BUNDLED = F._bundled_fonts_dir()
WENKAI = BUNDLED / F.BUNDLED_WENKAI[0]
MICROHEI = BUNDLED / F.BUNDLED_MICROHEI[0]


def test_bundled_fonts_and_licenses_are_shipped() -> None:
    assert WENKAI.is_file() and MICROHEI.is_file()
    licenses = {p.name for p in (BUNDLED / "LICENSES").iterdir()}
    assert "LXGWWenKai-OFL.txt" in licenses and "wqy-microhei-LICENSE.txt" in licenses
    total = sum(p.stat().st_size for p in BUNDLED.rglob("*") if p.is_file())
    assert total < 30 * 1024 * 1024  # the one-folder build must stay small


def test_without_system_fonts_every_role_uses_a_bundled_face(tmp_path: Path) -> None:
    chosen = choose_fonts([tmp_path], BUNDLED)
    assert all(ff.bundled for ff in chosen.values())
    assert chosen[FontRole.FANGSONG].path == WENKAI
    assert chosen[FontRole.HEITI].path == MICROHEI


def test_system_fonts_win_and_names_match_case_insensitively(tmp_path: Path) -> None:
    shutil.copy(WENKAI, tmp_path / "SIMFANG.TTF")
    shutil.copy(MICROHEI, tmp_path / "simsun.ttc")
    chosen = choose_fonts([tmp_path], BUNDLED)
    assert chosen[FontRole.FANGSONG] == FontFile(tmp_path / "SIMFANG.TTF", 0, bundled=False)
    assert chosen[FontRole.SONGTI].path == tmp_path / "simsun.ttc"
    # No 方正小标宋: the title takes the system 宋体 before any bundled face.
    assert chosen[FontRole.XIAOBIAOSONG].path == tmp_path / "simsun.ttc"
    assert chosen[FontRole.HEITI].bundled  # simhei.ttf absent


def test_xiaobiaosong_is_used_when_installed_per_user(tmp_path: Path) -> None:
    machine, user = tmp_path / "Windows" / "Fonts", tmp_path / "user" / "Fonts"
    machine.mkdir(parents=True)
    user.mkdir(parents=True)
    shutil.copy(MICROHEI, machine / "simsun.ttc")
    shutil.copy(MICROHEI, user / "FZXBSJW.TTF")
    chosen = choose_fonts([machine, user], BUNDLED)
    assert chosen[FontRole.XIAOBIAOSONG].path == user / "FZXBSJW.TTF"


def test_windows_font_dirs_include_the_per_user_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(F.sys, "platform", "win32")
    dirs = F.system_font_dirs({"WINDIR": r"C:\Windows", "LOCALAPPDATA": r"C:\Users\u\AppData\Local"})
    assert [d.name for d in dirs] == ["Fonts", "Fonts"]
    assert "Microsoft" in str(dirs[1])


def test_reg_names_do_not_collide_for_chinese_file_names() -> None:
    a = FontFile(Path("仿宋_GB2312.ttf")).reg_name
    b = FontFile(Path("楷体_GB2312.ttf")).reg_name
    assert a != b and a.isascii() and b.isascii()


def test_a_broken_system_font_falls_back_to_the_bundled_face(tmp_path: Path) -> None:
    (tmp_path / "simhei.ttf").write_bytes(b"not a font at all" * 100)
    chosen = choose_fonts([tmp_path], BUNDLED)
    fs = FontSet(chosen, BUNDLED)
    assert fs.files[FontRole.HEITI].bundled


def test_font_set_is_created_once_per_process() -> None:
    assert get_font_set() is get_font_set()


def test_rare_name_characters_are_covered() -> None:
    fs = get_font_set()
    for name in RARE_NAMES:
        for role in FontRole:
            assert PLACEHOLDER not in fs.clean(name, role), (name, role)


def test_markup_escapes_user_text() -> None:
    fs = get_font_set()
    out = fs.markup('a<b>&amp; "A&B" <font name=x>', FontRole.FANGSONG)
    assert "<b>" not in out and "<font name" not in out
    assert "a&lt;b&gt;&amp;amp;" in out and "A&amp;B" in out


def _char_missing_in_primary(fs: FontSet, role: FontRole) -> str:
    primary = fs.font_name(role)
    for cp in [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)]:
        ch = chr(cp)
        if not fs.has_glyph(primary, ch) and fs.font_for_char(ch, role):
            return ch
    pytest.skip("the primary font covers every character its fallbacks cover")


@pytest.mark.parametrize("role", [FontRole.FANGSONG, FontRole.HEITI])
def test_characters_the_primary_font_lacks_fall_back_per_run(role: FontRole) -> None:
    fs = get_font_set()
    ch = _char_missing_in_primary(fs, role)
    fallback = fs.font_for_char(ch, role)
    out = fs.markup(f"张{ch}{ch}同志", role)
    assert out == f'张<font face="{fallback}">{ch}{ch}</font>同志'


def test_emoji_become_a_visible_placeholder_and_invisibles_vanish() -> None:
    fs = get_font_set()
    text = "学法😀\u200d\ufe0f\x00\ud800完成"
    cleaned = fs.clean(text, FontRole.FANGSONG)
    assert cleaned.startswith("学法") and cleaned.endswith("完成")
    assert PLACEHOLDER in cleaned
    out = fs.markup(text, FontRole.FANGSONG)
    assert "\x00" not in out and "\ud800" not in out
    assert PLACEHOLDER in out


def test_newlines_are_spaces_or_breaks() -> None:
    fs = get_font_set()
    assert fs.markup("一\r\n二", FontRole.FANGSONG) == "一 二"
    assert fs.markup("一\n二", FontRole.FANGSONG, newlines="br") == "一<br/>二"


def test_describe_names_every_role() -> None:
    assert set(get_font_set().describe()) == {"仿宋", "黑体", "楷体", "宋体", "小标宋"}


# -- the notice when the official faces are missing ------------------------------------------------
def test_bundled_faces_are_announced_by_name() -> None:
    from duty_tracker.core.reports.font_notice import font_notice, word_font_notice

    fs = FontSet(choose_fonts([], BUNDLED), BUNDLED)
    notice = font_notice(fs)
    assert notice.uses_fallback and notice.replaced == ("仿宋", "黑体", "楷体", "小标宋")
    assert notice.used["仿宋"] == "霞鹜文楷（程序自带）" and notice.used["黑体"] == "文泉驿微米黑（程序自带）"
    assert notice.message.startswith("本机没有安装仿宋、黑体、楷体、小标宋字体")
    assert "仿宋、楷体用霞鹜文楷（程序自带）代替" in notice.message
    assert notice.message.endswith("。")
    word = word_font_notice(fs)
    assert "仿宋_GB2312" in word.message and "方正小标宋简体" in word.message


def test_no_notice_when_the_official_faces_are_installed(tmp_path: Path) -> None:
    from duty_tracker.core.reports.font_notice import font_notice, word_font_notice

    for name in ("simfang.ttf", "simkai.ttf", "simsun.ttc"):
        shutil.copy(WENKAI, tmp_path / name)
    for name in ("simhei.ttf", "FZXBSJW.TTF"):
        shutil.copy(MICROHEI, tmp_path / name)
    fs = FontSet(choose_fonts([tmp_path], BUNDLED), BUNDLED)
    notice = font_notice(fs)
    assert not notice.uses_fallback and notice.message == ""
    assert notice.used == {"仿宋": "仿宋", "黑体": "黑体", "楷体": "楷体", "小标宋": "方正小标宋简体"}
    assert word_font_notice(fs).message == ""


def test_songti_standing_in_for_xiaobiaosong_is_a_replacement(tmp_path: Path) -> None:
    from duty_tracker.core.reports.font_notice import font_notice

    shutil.copy(WENKAI, tmp_path / "simfang.ttf")
    shutil.copy(WENKAI, tmp_path / "simsun.ttc")
    notice = font_notice(FontSet(choose_fonts([tmp_path], BUNDLED), BUNDLED))
    assert notice.replaced == ("黑体", "楷体", "小标宋")
    assert "小标宋用宋体代替" in notice.message and "仿宋用" not in notice.message


# -- face variants: the character grid and simulated bold ------------------------------------------
def test_grid_and_bold_variants_share_the_face_with_scaled_widths() -> None:
    from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

    from duty_tracker.core.reports import gbt9704 as g

    fs = get_font_set()
    base = fs.font_name(FontRole.FANGSONG)
    grid = fs.font_name(FontRole.FANGSONG, scale=g.GRID_SCALE)
    bold = fs.font_name(FontRole.FANGSONG, scale=g.GRID_SCALE, bold=True)
    assert len({base, grid, bold}) == 3
    assert fs.font_name(FontRole.FANGSONG, scale=g.GRID_SCALE) == grid  # registered once
    line = "法" * g.CHARS_PER_LINE
    assert stringWidth(line, base, 16) > g.TYPE_WIDTH  # 28 characters of 3号 do not fit …
    assert stringWidth(line, grid, 16) <= g.TYPE_WIDTH  # … on the grid they do, exactly
    assert stringWidth(line + "法", grid, 16) > g.TYPE_WIDTH
    assert getFont(grid).face.name.endswith(b"-Grid") and getFont(bold).face.name.endswith(
        b"-Grid-Bold")


def test_a_new_variant_is_registered_without_searching_for_type1_fonts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """reportlab's getFont on a name not registered yet first searches every Type 1 font
    folder (about 0.15 s, in every worker of a batch); a variant never asks it that."""
    from reportlab.pdfbase import pdfmetrics

    from duty_tracker.core.reports.fontvariants import register_variant

    def searched(*args: object, **kwargs: object) -> None:
        raise AssertionError("searched the Type 1 font folders")

    monkeypatch.setattr(pdfmetrics, "findFontAndRegister", searched)
    base = get_font_set().font_name(FontRole.KAITI)
    original = pdfmetrics.getFont(base).face
    name = register_variant(base, None, True)
    assert name in pdfmetrics.getRegisteredFontNames()
    assert register_variant(base, None, True) == name  # the second time: the same face
    assert pdfmetrics.getFont(name).face._ttf_data is original._ttf_data  # no file read


@pytest.mark.parametrize("char", ["A", "法", "\u3000", "\uffff", "\U0002003e", "\U0001f600"])
def test_to_unicode_entries_are_utf16_big_endian(char: str) -> None:
    cmap = F.to_unicode_cmap("X", [0, ord(char)])
    assert f"<01> <{char.encode('utf-16-be').hex().upper()}>" in cmap


def test_a_kept_markup_is_the_markup_made_afresh() -> None:
    fs = get_font_set()
    fresh = F.FontSet(choose_fonts([], BUNDLED), BUNDLED)
    texts = ["孙喆", "a<b>&c", "两行\n文字", "😀 完成", "　杭州市　市长", "依法", "𠀾"]
    for text in texts:
        for role in (FontRole.FANGSONG, FontRole.HEITI):
            for kwargs in ({}, {"newlines": "br"}, {"scale": 0.98}, {"bold": True}):
                first = fs.markup(text, role, **kwargs)
                assert fs.markup(text, role, **kwargs) is first  # kept
                assert fresh._markup(text, role, kwargs.get("newlines", "space"),
                                     kwargs.get("scale"), kwargs.get("bold", False)) == first


@pytest.mark.parametrize("size", [1, 100, 101, 256, 300])
def test_to_unicode_lists_every_code_of_the_subset(size: int) -> None:
    subset = [0x4E00 + (i * 37) % 5000 for i in range(size - 1)] + [0x2003E]
    cmap = F.to_unicode_cmap("X", subset)
    expected = [f"<{code:02X}> <{chr(cp).encode('utf-16-be').hex().upper()}>"
                for code, cp in enumerate(subset)]
    entries = [line for line in cmap.splitlines() if line.startswith("<") and "> <" in line]
    assert entries[1:] == expected  # after the code space range
    assert cmap.count("beginbfchar") == (size + 99) // 100
