"""Chinese fonts for the reports: discovery, one-time registration, per-character fallback.

Why this module exists:

* GB/T 9704 asks for 仿宋 (body), 黑体 (一、 headings), 楷体 ((一) headings), 宋体 (page
  numbers) and 小标宋 (title). Office PCs have these as Windows system fonts (simfang.ttf …),
  often 方正小标宋 too, sometimes installed per user without admin rights. We use them when present.
* Everywhere else, and for any role whose system font is missing, we use the freely licensed
  TrueType fonts bundled in ``resources/fonts`` (license texts in ``resources/fonts/LICENSES``):
  LXGW WenKai (霞鹜文楷, OFL-1.1) for the serif roles — there is no freely licensed 仿宋 in
  TrueType outlines, and a 楷 face is the customary stand-in — and WenQuanYi Micro Hei
  (Apache-2.0) for 黑体 and the title. reportlab cannot read CFF-outlined OpenType fonts (Noto
  CJK, Source Han), so those are not candidates.
* Every font is embedded as a subset by reportlab's TTF support; we never use the non-embedded
  CID fonts (STSong-Light), which would depend on the reader's viewer.
* reportlab silently drops a character its font has no glyph for (孙喆 would print as 孙).
  :meth:`FontSet.markup` therefore checks each character against the font's cmap and wraps
  runs of uncovered characters in ``<font face=...>`` of the first font in the fallback chain
  that has them; a character no font has (emoji) becomes a visible "□", never a crash and
  never a silent hole. User text is XML-escaped here, before any markup is added, so that
  "a<b" and "A&B" print as typed.

Registration with reportlab happens once per process (:func:`get_font_set`).
"""

from __future__ import annotations

import os
import sys
import threading
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from xml.sax.saxutils import escape

from duty_tracker.core.reports.errors import FontError

#: How many texts' markups a font set keeps (see :meth:`FontSet.markup`).
MARKUPS_KEPT = 20000

#: What a character that no available font can draw becomes (visible, unlike a dropped glyph).
PLACEHOLDER = "□"

#: Extra font folders searched before the system ones (``os.pathsep``-separated); lets a Linux
#: user or an administrator provide simfang.ttf & co. without installing them system-wide.
FONT_DIR_ENV = "DUTY_TRACKER_FONT_DIR"
#: Set to "1" to ignore system fonts and use only the bundled ones (tests, reproducible output).
BUNDLED_ONLY_ENV = "DUTY_TRACKER_BUNDLED_FONTS_ONLY"


class FontRole(StrEnum):
    """The typefaces GB/T 9704-2012 prescribes, by the job they do in the document."""

    FANGSONG = "fangsong"  # 仿宋: body text
    HEITI = "heiti"  # 黑体: first-level headings 一、
    KAITI = "kaiti"  # 楷体: second-level headings (一)
    SONGTI = "songti"  # 宋体: page numbers
    XIAOBIAOSONG = "xiaobiaosong"  # 小标宋: the title


ROLE_LABELS: dict[FontRole, str] = {
    FontRole.FANGSONG: "仿宋",
    FontRole.HEITI: "黑体",
    FontRole.KAITI: "楷体",
    FontRole.SONGTI: "宋体",
    FontRole.XIAOBIAOSONG: "小标宋",
}

#: System font files per role, best first: (file name, index inside a .ttc). Names are matched
#: case-insensitively. GB2312-only faces (仿宋_GB2312 …) are fine: characters they lack fall
#: back per character. Only TrueType-outline files are listed (reportlab cannot read CFF).
SYSTEM_CANDIDATES: dict[FontRole, tuple[tuple[str, int], ...]] = {
    FontRole.FANGSONG: (
        ("simfang.ttf", 0),
        ("仿宋_GB2312.ttf", 0),
        ("FS_GB2312.ttf", 0),
        ("STFANGSO.TTF", 0),
    ),
    FontRole.HEITI: (
        ("simhei.ttf", 0),
        ("STHEITI.TTF", 0),
        ("STXIHEI.TTF", 0),
    ),
    FontRole.KAITI: (
        ("simkai.ttf", 0),
        ("楷体_GB2312.ttf", 0),
        ("KAI_GB2312.ttf", 0),
        ("STKAITI.TTF", 0),
    ),
    FontRole.SONGTI: (
        ("simsun.ttc", 0),
        ("simsun.ttf", 0),
        ("STSONG.TTF", 0),
    ),
    FontRole.XIAOBIAOSONG: (
        ("FZXBSJW.TTF", 0),
        ("方正小标宋简体.ttf", 0),
        ("方正小标宋_GBK.ttf", 0),
        ("FZXBSK.TTF", 0),
        ("FZXiaoBiaoSong-B05S.ttf", 0),
        ("FZXiaoBiaoSong-B05.ttf", 0),
    ),
}

#: Bundled fonts (in resources/fonts), used for a role whose system font is missing.
BUNDLED_WENKAI = ("LXGWWenKai-Regular.ttf", 0)
BUNDLED_MICROHEI = ("wqy-microhei.ttc", 0)
BUNDLED_FOR_ROLE: dict[FontRole, tuple[str, int]] = {
    FontRole.FANGSONG: BUNDLED_WENKAI,
    FontRole.KAITI: BUNDLED_WENKAI,
    FontRole.SONGTI: BUNDLED_WENKAI,
    # A heavy face reads as a title; WenKai Regular is too light next to a 仿宋-sized body.
    FontRole.XIAOBIAOSONG: BUNDLED_MICROHEI,
    FontRole.HEITI: BUNDLED_MICROHEI,
}
#: Fallback order for a character the role's font lacks: faces of the same style first.
_SERIF_ORDER = (FontRole.FANGSONG, FontRole.SONGTI, FontRole.KAITI, FontRole.XIAOBIAOSONG)
_SANS_ORDER = (FontRole.HEITI,)


@dataclass(frozen=True, slots=True)
class FontFile:
    """One font face on disk."""

    path: Path
    subfont_index: int = 0
    bundled: bool = False

    @property
    def reg_name(self) -> str:
        """The name registered with reportlab: stable, ASCII, unique per face."""
        stem = "".join(c if c.isascii() and c.isalnum() else "_" for c in self.path.stem)
        if not self.path.stem.isascii():  # 仿宋_GB2312 and 楷体_GB2312 must not collide
            stem += f"_{zlib.crc32(self.path.stem.encode('utf-8')):08x}"
        prefix = "DTB" if self.bundled else "DTS"
        return f"{prefix}-{stem}-{self.subfont_index}"

    @property
    def label(self) -> str:
        kind = "内置" if self.bundled else "系统"
        return f"{self.path.name}（{kind}）"


def _bundled_fonts_dir() -> Path:
    """Where the bundled fonts live (source checkout, wheel or PyInstaller folder: the layouts
    are paths.resource_path's business). A missing folder is reported later, as FontError,
    only if no system font can stand in."""
    from duty_tracker.paths import resource_path

    try:
        return resource_path("fonts")
    except FileNotFoundError:
        return Path(__file__).resolve().parents[3] / "resources" / "fonts"


def system_font_dirs(environ: dict[str, str] | None = None) -> list[Path]:
    """Folders holding system fonts worth looking at, best first.

    On Windows: the machine-wide ``%WINDIR%\\Fonts`` and the per-user
    ``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts`` (fonts installed without admin rights, which is
    how clerks often get 方正小标宋). Elsewhere nothing is searched by default: Linux and macOS
    have no 仿宋 that reportlab can read, so the bundled fonts are used there; ``FONT_DIR_ENV``
    adds folders on any system.
    """
    env = os.environ if environ is None else environ
    dirs: list[Path] = [Path(p) for p in env.get(FONT_DIR_ENV, "").split(os.pathsep) if p]
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        windir = env.get("WINDIR") or env.get("SystemRoot") or r"C:\Windows"
        dirs.append(Path(windir) / "Fonts")
        local = env.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _index_dir(folder: Path) -> dict[str, Path]:
    """Lower-cased file name → path, so that SIMFANG.TTF matches simfang.ttf on any system."""
    try:
        return {entry.name.lower(): Path(entry.path) for entry in os.scandir(folder)
                if entry.is_file()}
    except OSError:
        return {}


def choose_fonts(
    system_dirs: Sequence[Path], bundled_dir: Path
) -> dict[FontRole, FontFile]:
    """Pick the face for each role: a system font if one of the candidates exists, else the
    bundled one. 小标宋 falls back to the system 宋体 before the bundled face, because a real
    宋体 is closer to it than anything we can ship."""
    indexes = [_index_dir(d) for d in system_dirs]

    def find_system(role: FontRole) -> FontFile | None:
        for name, sub in SYSTEM_CANDIDATES[role]:
            for index in indexes:
                hit = index.get(name.lower())
                if hit is not None:
                    return FontFile(hit, sub, bundled=False)
        return None

    chosen: dict[FontRole, FontFile] = {}
    for role in FontRole:
        found = find_system(role)
        if found is None and role is FontRole.XIAOBIAOSONG:
            found = find_system(FontRole.SONGTI)
        if found is None:
            name, sub = BUNDLED_FOR_ROLE[role]
            found = FontFile(bundled_dir / name, sub, bundled=True)
        chosen[role] = found
    return chosen


class FontSet:
    """The registered fonts of this process and the per-character fallback logic."""

    def __init__(self, chosen: dict[FontRole, FontFile], bundled_dir: Path) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        self.files: dict[FontRole, FontFile] = {}
        self._covered: dict[str, frozenset[str]] = {}
        registered: dict[str, str] = {}  # reg name -> reg name (dedupe identical faces)

        def register(ff: FontFile) -> str | None:
            name = ff.reg_name
            if name in registered:
                return name
            try:
                font = TTFont(name, str(ff.path), subfontIndex=ff.subfont_index)
            except Exception:  # unreadable, CFF outlines, truncated file …: try the next face
                return None
            pdfmetrics.registerFont(font)
            cmap = font.face.charToGlyph
            self._covered[name] = frozenset(chr(cp) for cp, gid in cmap.items() if gid)
            registered[name] = name
            return name

        bundled = {
            key: FontFile(bundled_dir / key[0], key[1], bundled=True)
            for key in (BUNDLED_WENKAI, BUNDLED_MICROHEI)
        }
        self._names: dict[FontRole, str] = {}
        for role in FontRole:
            ff = chosen[role]
            name = register(ff)
            if name is None and not ff.bundled:
                ff = bundled[BUNDLED_FOR_ROLE[role]]
                name = register(ff)
            if name is None:  # the role's own bundled face is gone: any bundled face will do
                for other in bundled.values():
                    name = register(other)
                    if name is not None:
                        ff = other
                        break
            if name is None:
                raise FontError(
                    "未找到可用的中文字体：系统中没有仿宋、黑体、楷体、宋体字体，"
                    f"程序自带的字体文件（{bundled_dir}）也缺失或已损坏。请重新安装本程序。"
                )
            self._names[role] = name
            self.files[role] = ff
        # Bundled faces are always in the fallback chain: they cover the rare characters
        # (喆 堃 珺 …) that GB2312-only system faces lack.
        wenkai = [n for n in (register(bundled[BUNDLED_WENKAI]),) if n]
        microhei = [n for n in (register(bundled[BUNDLED_MICROHEI]),) if n]
        serif = [self._names[r] for r in _SERIF_ORDER]
        sans = [self._names[r] for r in _SANS_ORDER]
        self._chains: dict[FontRole, tuple[str, ...]] = {}
        for role in FontRole:
            if role is FontRole.HEITI:
                order = [self._names[role], *sans, *microhei, *serif, *wenkai]
            else:
                order = [self._names[role], *serif, *wenkai, *sans, *microhei]
            self._chains[role] = tuple(dict.fromkeys(order))  # dedupe, keep order
        self._fallback_cache: dict[tuple[FontRole, str], str | None] = {}
        self._markups: dict[tuple[str, FontRole, str, float | None, bool], str] = {}
        self._variants: dict[tuple[str, float | None, bool], str] = {}

    # -- queries ---------------------------------------------------------------------------
    def font_name(self, role: FontRole, *, scale: float | None = None, bold: bool = False
                  ) -> str:
        """The reportlab font name to use for ``role``; with ``scale`` the variant whose
        advance widths are scaled (the character grid), with ``bold`` simulated bold."""
        return self.variant(self._names[role], scale=scale, bold=bold)

    def variant(self, name: str, *, scale: float | None = None, bold: bool = False) -> str:
        """A registered font's grid and/or bold variant (see ``fontvariants``)."""
        if scale is None and not bold:
            return name
        key = (name, scale, bold)
        found = self._variants.get(key)
        if found is None:
            from duty_tracker.core.reports.fontvariants import register_variant

            with _lock:
                found = register_variant(name, scale, bold)
                self._covered[found] = self._covered[name]
                self._variants[key] = found
        return found

    def has_glyph(self, font_name: str, char: str) -> bool:
        return char in self._covered.get(font_name, frozenset())

    def covers(self, role: FontRole, text: str) -> bool:
        """True when ``role``'s own font has every character of ``text`` (so it can be drawn
        as a plain string, without paragraph markup)."""
        return self._covered[self._names[role]].issuperset(text)

    def font_for_char(self, char: str, role: FontRole) -> str | None:
        """The first font of ``role``'s fallback chain that has ``char``, or None."""
        key = (role, char)
        try:
            return self._fallback_cache[key]
        except KeyError:
            pass
        found = next((n for n in self._chains[role] if char in self._covered[n]), None)
        self._fallback_cache[key] = found
        return found

    def describe(self) -> dict[str, str]:
        """Role label → chosen file, for the about box, logs and the benchmark."""
        return {ROLE_LABELS[r]: self.files[r].label for r in FontRole}

    # -- text → reportlab paragraph markup ---------------------------------------------------
    def clean(self, text: str, role: FontRole) -> str:
        """``text`` with every character replaced by what will actually print: uncovered
        visible characters → □, uncovered invisible ones (ZWJ, variation selectors, control
        characters, lone surrogates) dropped. Used for widths and for tests."""
        cov = self._covered[self._names[role]]
        if cov.issuperset(text):
            return text
        out = []
        for ch in text:
            if ch in cov or self.font_for_char(ch, role) is not None:
                out.append(ch)
            elif not _invisible(ch):
                out.append(PLACEHOLDER)
        return "".join(out)

    def markup(self, text: str, role: FontRole, *, newlines: str = "space",
               scale: float | None = None, bold: bool = False) -> str:
        """Paragraph markup for user ``text`` set in ``role``'s font.

        The text is escaped (``<``, ``>``, ``&`` print literally, reportlab tags in user text
        stay text); runs of characters the primary font lacks are wrapped in
        ``<font face="fallback">``. ``newlines`` is ``"space"`` (one-line contexts) or
        ``"br"`` (keep the clerk's line breaks inside a table cell). ``scale`` and ``bold``
        choose the variants of the fallback faces, to match a paragraph set on the character
        grid or in bold (the paragraph's own font is the style's).

        The result depends on nothing but the arguments and this font set, and the same
        texts come back in every report of a batch (headings, table headers, recurring
        records): it is kept, for a bounded number of texts.
        """
        key = (text, role, newlines, scale, bold)
        found = self._markups.get(key)
        if found is None:
            if len(self._markups) >= MARKUPS_KEPT:
                self._markups.clear()
            found = self._markups[key] = self._markup(text, role, newlines, scale, bold)
        return found

    def _markup(self, text: str, role: FontRole, newlines: str, scale: float | None,
                bold: bool) -> str:
        text = normalise_text(text, keep_newlines=newlines == "br")
        primary = self._names[role]
        cov = self._covered[primary]
        if cov.issuperset(text):  # fast path: nearly every string
            return _escape(text, newlines)
        if scale is not None or bold:
            return self._markup_runs(text, role, newlines,
                                     lambda name: self.variant(name, scale=scale, bold=bold))
        return self._markup_runs(text, role, newlines, lambda name: name)

    def _markup_runs(self, text: str, role: FontRole, newlines: str,
                     name_of: Callable[[str], str]) -> str:
        """``markup`` for text with characters outside the primary face: runs per font."""
        primary = self._names[role]
        cov = self._covered[primary]
        pieces: list[str] = []
        run: list[str] = []
        run_font = primary
        for ch in text:
            if ch in cov or ch == "\n":
                font = primary
            else:
                found = self.font_for_char(ch, role)
                if found is None:
                    if _invisible(ch):
                        continue
                    ch = PLACEHOLDER
                    found = self.font_for_char(PLACEHOLDER, role) or primary
                font = found
            if font != run_font and run:
                pieces.append(_wrap(_escape("".join(run), newlines), run_font, primary, name_of))
                run = []
            run_font = font
            run.append(ch)
        if run:
            pieces.append(_wrap(_escape("".join(run), newlines), run_font, primary, name_of))
        return "".join(pieces)


def _wrap(escaped: str, font: str, primary: str, name_of: Callable[[str], str]) -> str:
    return escaped if font == primary else f'<font face="{name_of(font)}">{escaped}</font>'


def _escape(text: str, newlines: str) -> str:
    """XML-escaped text for a paragraph. The ideographic space (　) goes in as a character
    reference: reportlab collapses every Unicode space of the raw markup into one ASCII
    space, so "杭州市　市长" would print with a half-width gap and copy out wrongly."""
    escaped = escape(text)
    if newlines == "br" and "\n" in escaped:
        escaped = escaped.replace("\n", "<br/>")
    if "\u3000" in escaped:
        escaped = escaped.replace("\u3000", "&#12288;")
    return escaped


_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Mn", "Me", "Zl", "Zp"})


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in _INVISIBLE_CATEGORIES


def normalise_text(text: str, *, keep_newlines: bool = False) -> str:
    """Make user text safe for a paragraph: CRLF → LF, tabs and odd spaces → space, control
    characters and lone surrogates (from a bad decode) removed; newlines kept or made spaces."""
    if text.isprintable():
        return text
    out = []
    for ch in text.replace("\r\n", "\n").replace("\r", "\n"):
        if ch == "\n":
            out.append("\n" if keep_newlines else " ")
        elif ch == "\t" or ch in "\u2028\u2029\x0b\x0c":
            out.append(" " if ch == "\t" else ("\n" if keep_newlines else " "))
        elif ch.isprintable() or ch == "\u3000":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cs"):
            continue
        else:
            out.append(ch)  # format characters (ZWJ …) are handled by the cmap check
    return "".join(out)


def to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """The ToUnicode CMap of one embedded font subset, as reportlab's ``makeToUnicodeCMap``
    but correct for characters outside the Basic Multilingual Plane: reportlab writes
    U+2003E (𠀾) as five hex digits, which readers take for U+2003 (a space), so the
    character could not be searched or copied. PDF wants UTF-16BE, i.e. a surrogate pair
    (<D840DC3E>); and at most 100 entries per ``beginbfchar`` block."""
    head = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})",
        "/Supplement 0", ">> def", f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
    ]
    body: list[str] = []
    for block in range(0, len(subset), 100):
        chunk = subset[block:block + 100]
        body.append(f"{len(chunk)} beginbfchar")  # "<code> <UTF-16BE>", texts made once
        if block + len(chunk) <= len(_CODE_TEXTS):
            body.extend(map(str.__add__, _CODE_TEXTS[block:block + len(chunk)],
                            map(_UNICODE_TEXTS.__getitem__, chunk)))
        else:  # more codes than a reportlab subset has (256): written out one by one
            body.extend(f"<{code:02X}> <{_utf16_hex(cp)}>"
                        for code, cp in enumerate(chunk, block))
        body.append("endbfchar")
    tail = ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(head + body + tail)


def _utf16_hex(cp: int) -> str:
    """A code point as the hex digits of its UTF-16BE form (a surrogate pair above the BMP).
    Below U+10000 that is the code point itself in four digits, the common case made cheap:
    a debrief writes a few thousand of these."""
    if cp < 0x10000:
        return f"{cp:04X}"
    return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper()


class _UnicodeTexts(dict):  # type: ignore[type-arg]
    """code point -> "<hex of its UTF-16BE form>", made on first use."""

    def __missing__(self, cp: int) -> str:
        text = self[cp] = f"<{_utf16_hex(cp)}>"
        return text


#: "<00> " … "<FF> ": the codes of a subset (at most 256), each with the space after it.
_CODE_TEXTS = [f"<{code:02X}> " for code in range(256)]
_UNICODE_TEXTS = _UnicodeTexts()


def _install_to_unicode_fix() -> None:
    from reportlab.pdfbase import ttfonts

    ttfonts.makeToUnicodeCMap = to_unicode_cmap


_lock = threading.Lock()
_font_set: FontSet | None = None


def get_font_set() -> FontSet:
    """The process-wide font set, created and registered with reportlab on first use."""
    global _font_set
    if _font_set is not None:
        return _font_set
    with _lock:
        if _font_set is None:
            from duty_tracker.core.reports import cjkwrap

            cjkwrap.install()  # Chinese 避头尾 for every paragraph we set
            _install_to_unicode_fix()  # rare characters (𠀾) copy out of the PDF
            bundled = _bundled_fonts_dir()
            dirs: Iterable[Path] = []
            if os.environ.get(BUNDLED_ONLY_ENV) != "1":
                dirs = system_font_dirs()
            _font_set = FontSet(choose_fonts(list(dirs), bundled), bundled)
    return _font_set
