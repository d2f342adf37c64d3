"""Telling the clerk when a report is not set in the official faces.

GB/T 9704 asks for 仿宋, 黑体, 楷体 and 小标宋. On a PC without them the PDF is set in the
bundled faces (or 小标宋 in the system 宋体), which a reviewer will notice in print; the Word
file always names the official faces, and Word or WPS shows something else where they are
missing. The window and the CLI show :func:`font_notice` after a PDF, :func:`word_font_notice`
after a Word file; both are empty when nothing was replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

from duty_tracker.core.reports.fonts import (
    ROLE_LABELS,
    SYSTEM_CANDIDATES,
    FontFile,
    FontRole,
    FontSet,
    get_font_set,
)

#: The roles a reader sees (宋体 only sets the page numbers).
CHECKED_ROLES = (FontRole.FANGSONG, FontRole.HEITI, FontRole.KAITI, FontRole.XIAOBIAOSONG)

#: Display names of the files we know, by lower-cased file stem.
FACE_NAMES = {
    "lxgwwenkai-regular": "霞鹜文楷（程序自带）",
    "wqy-microhei": "文泉驿微米黑（程序自带）",
    "simfang": "仿宋", "simhei": "黑体", "simkai": "楷体", "simsun": "宋体",
    "stfangso": "华文仿宋", "stheiti": "华文黑体", "stxihei": "华文细黑", "stkaiti": "华文楷体",
    "stsong": "华文宋体", "fs_gb2312": "仿宋_GB2312", "kai_gb2312": "楷体_GB2312",
    "fzxbsjw": "方正小标宋简体", "fzxbsk": "方正小标宋_GBK",
}
#: The names the Word file gives each role.
WORD_FACES = {FontRole.FANGSONG: "仿宋_GB2312", FontRole.HEITI: "黑体",
              FontRole.KAITI: "楷体_GB2312", FontRole.XIAOBIAOSONG: "方正小标宋简体"}


def face_name(ff: FontFile) -> str:
    """The name a clerk knows a face by ("仿宋", "霞鹜文楷（程序自带）"), else its file name."""
    stem = ff.path.stem
    return FACE_NAMES.get(stem.lower(), stem + ("（程序自带）" if ff.bundled else ""))


@dataclass(frozen=True, slots=True)
class FontNotice:
    """Which faces a render used, and whether the official ones were replaced."""

    #: Role label → the face used ("仿宋" → "霞鹜文楷（程序自带）").
    used: dict[str, str]
    #: Labels of the roles whose official face is missing on this PC ("仿宋", "小标宋" …).
    replaced: tuple[str, ...]
    #: One Chinese sentence for the clerk; "" when nothing was replaced.
    message: str

    @property
    def uses_fallback(self) -> bool:
        return bool(self.replaced)


def _replaced(fonts: FontSet) -> list[FontRole]:
    """Roles not set in one of their own system faces: a bundled face, or the system 宋体
    standing in for a missing 小标宋."""
    out = []
    for role in CHECKED_ROLES:
        ff = fonts.files[role]
        own = {name.lower() for name, _sub in SYSTEM_CANDIDATES[role]}
        if ff.bundled or ff.path.name.lower() not in own:
            out.append(role)
    return out


def font_notice(fonts: FontSet | None = None) -> FontNotice:
    """The notice for a PDF made in this process (all PDFs of a process use one font set)."""
    fonts = fonts or get_font_set()
    used = {ROLE_LABELS[r]: face_name(fonts.files[r]) for r in CHECKED_ROLES}
    replaced = _replaced(fonts)
    if not replaced:
        return FontNotice(used, (), "")
    by_face: dict[str, list[str]] = {}
    for role in replaced:
        by_face.setdefault(used[ROLE_LABELS[role]], []).append(ROLE_LABELS[role])
    swaps = "，".join(f"{'、'.join(roles)}用{face}代替" for face, roles in by_face.items())
    labels = "、".join(ROLE_LABELS[r] for r in replaced)
    message = (f"本机没有安装{labels}字体，报告中{swaps}；版式不变，但字形与正式公文略有不同。"
               "安装这些字体后重新生成即可使用标准字体。")
    return FontNotice(used, tuple(ROLE_LABELS[r] for r in replaced), message)


def word_font_notice(fonts: FontSet | None = None) -> FontNotice:
    """The notice for a Word file: it names the official faces; on this PC Word or WPS will
    show another face where one is missing (on a PC that has them it prints as it should)."""
    fonts = fonts or get_font_set()
    missing = _replaced(fonts)
    used = {ROLE_LABELS[r]: WORD_FACES[r] for r in CHECKED_ROLES}
    if not missing:
        return FontNotice(used, (), "")
    names = "、".join(WORD_FACES[r] for r in missing)
    message = (f"Word文件按公文格式指定了{names}字体，本机没有安装，在本机打开时Word或WPS会用"
               "其他字体显示；在装有这些字体的电脑上打开或打印即为标准字体。")
    return FontNotice(used, tuple(ROLE_LABELS[r] for r in missing), message)
