"""The look of every page and dialog in one place: colours, the page header, section headings,
hint/error/warning text and the table set-up the pages share.

A widget says what it *is* — a label's ``role`` ("title", "section") or ``tone`` ("hint",
"error"), a widget's name ("navigation", "statusGrid") — through the functions here
(:func:`plain_label`, :func:`set_tone`, :func:`set_role`, :func:`name`, :func:`mark_invalid`),
and this module says how that looks: a role or plain tone is a font and a colour
(:data:`ROLE_LOOKS`, :data:`TONE_COLOURS`); what needs a frame, padding or the look of list
items is a small style sheet of the widget's own (:data:`TONE_SHEETS`, :data:`NAMED_SHEETS`).
Pages never style widgets themselves, so one change here restyles the whole window and a title
has one size. No application-wide style sheet: with one, Qt routes every widget of the window
through its style-sheet engine, which cost a sixth of a bare window's start on its own.

Clerk input (unit and leader names, titles, pasted rules text) is shown as plain text: Qt would
otherwise render a name such as ``<b>…</b>`` as markup. :func:`plain_label` makes such labels,
:func:`plain` makes a string safe for widgets that guess the format themselves (message boxes,
tooltips), :func:`esc` escapes a fragment for the few labels that are rich text on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QHelpEvent, QPalette
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid as shiboken_valid

if TYPE_CHECKING:
    from PySide6.QtWidgets import QGridLayout, QMessageBox

#: The window's colours, by what they mean.
COLOURS: dict[str, str] = {
    "ink": "#1d2b3a",          # headings
    "accent": "#14396b",       # page titles, counts, selected navigation entry
    "accent_line": "#2f6fb3",  # focus and selection borders
    "hint": "#566070",         # secondary text
    "error": "#b3261e",
    "warning": "#7a4f00",
    "ok": "#1e5b2b",
    "ok_bg": "#e8f3ea",
    "ok_border": "#b9dcc0",
    "panel": "#f3f5f8",        # navigation and quoted source text
    "line": "#d9dee5",
    "grid": "#c9cfd8",
    "selected_bg": "#dce7f5",
    "muted": "#8a8f98",
}

#: Margins of a page's outer layout (left, top, right, bottom).
PAGE_MARGINS = (12, 10, 12, 8)

#: A label's role: its point size (None: the window's own) and colour; every role is semi-bold.
ROLE_LOOKS: dict[str, tuple[float | None, str]] = {
    "title": (14.0, "accent"),
    "section": (11.0, "ink"),
    "heading": (None, "ink"),
    "count": (None, "accent"),
    "welcome": (16.0, "accent"),
}
#: Tones that are a colour of the text (a tone's colour wins over its role's).
TONE_COLOURS = {"hint": "hint", "error": "error", "warning": "warning"}
#: Tones drawn in a box: a style sheet of the widget's own.
TONE_SHEETS = {
    "notice": "QLabel {{ background: {ok_bg}; color: {ok}; border: 1px solid {ok_border}; "
              "padding: 6px 10px; }}",
    "source": "QLabel {{ color: {hint}; background: {panel}; padding: 6px; }}",
}
#: Widgets with a look of their own, by the name :func:`name` gives them.
NAMED_SHEETS = {
    "navigation": "QListWidget#navigation {{ background: {panel}; border: none; "
                  "border-right: 1px solid {line}; font-size: 11pt; padding-top: 8px; }}\n"
                  "QListWidget#navigation::item {{ padding: 10px 14px; }}\n"
                  "QListWidget#navigation::item:selected {{ background: {selected_bg}; "
                  "color: {accent}; border-left: 3px solid {accent_line}; }}",
    "statusGrid": "QTableView#statusGrid {{ gridline-color: {grid}; }}\n"
                  "QTableView#statusGrid::item:selected {{ border: 2px solid {accent_line}; }}",
    "welcomeDialog": "QCommandLinkButton {{ border: 1px solid {grid}; border-radius: 6px; "
                     "background: #f7f9fc; padding: 10px 14px; }}\n"
                     "QCommandLinkButton:hover, QCommandLinkButton:focus {{ background: #e8f0fa; "
                     "border-color: {accent_line}; }}\n"
                     "QCommandLinkButton:pressed {{ background: {selected_bg}; }}",
    "dateButton": "QToolButton::menu-indicator {{ image: none; width: 0px; }}",
    "menuButton": "QToolButton::menu-indicator {{ image: none; width: 0px; }}",
    "unitTree": "QTreeView#unitTree::item {{ min-height: 24px; }}",
    "sectionList": "QListWidget#sectionList::item {{ padding: 5px 6px; "
                   "border-bottom: 1px solid {line}; }}\n"
                   "QListWidget#sectionList::item:selected {{ background: {selected_bg}; "
                   "color: {accent}; }}",
}
#: A field the clerk must correct.
INVALID_SHEET = '[invalid="true"] {{ border: 1px solid {error}; background: #fdf0ef; }}'


def sheet(template: str) -> str:
    """A style sheet of this module with the window's colours filled in."""
    return template.format(**COLOURS)


def own_sheets() -> set[str]:
    """Every style sheet this module gives a widget (no other widget carries one)."""
    return {sheet(t) for t in (*TONE_SHEETS.values(), *NAMED_SHEETS.values(), INVALID_SHEET)}


def dress(widget: QWidget) -> None:
    """Font, colour and box of ``widget`` from its role and tone (again after either changed).
    The font and palette set only what the role and tone say: the rest follows the window."""
    role = widget.property("role") or ""
    tone = widget.property("tone") or ""
    font = QFont()
    colour = None
    if role in ROLE_LOOKS:
        size, colour = ROLE_LOOKS[role]
        if size is not None:
            font.setPointSizeF(size)
        font.setWeight(QFont.Weight.DemiBold)
    colour = TONE_COLOURS.get(tone, colour)
    palette = QPalette()
    if colour is not None:
        for part in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
            palette.setColor(part, QColor(COLOURS[colour]))
    boxed = sheet(TONE_SHEETS[tone]) if tone in TONE_SHEETS else ""
    if widget.styleSheet() != boxed:  # first: dropping a sheet puts back the font and palette
        widget.setStyleSheet(boxed)   # the widget had before it
    widget.setFont(font)
    widget.setPalette(palette)


def name(widget: QWidget, object_name: str) -> None:
    """Name a widget; a name of :data:`NAMED_SHEETS` also gives it that look."""
    widget.setObjectName(object_name)
    if object_name in NAMED_SHEETS:
        widget.setStyleSheet(sheet(NAMED_SHEETS[object_name]))


# -- text ---------------------------------------------------------------------------------
def esc(text: object) -> str:
    """A fragment of clerk input for a rich-text label: every character shown literally."""
    return _escaped(str(text))


def _escaped(text: str) -> str:
    """``html.escape(text, quote=False)``: the same three replacements, without loading the
    html module's table of 2,000 named entities at the window's start."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str) -> str:
    """``text`` for a widget that guesses plain or rich text itself (QMessageBox, tooltips):
    unchanged when Qt would show it as plain text anyway, else escaped so that it still is."""
    if not text or not QtGuiNamespace.mightBeRichText(text):
        return text
    return f"<p style='white-space:pre-wrap'>{_escaped(text)}</p>"


def ask(parent: QWidget | None, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
    """``QMessageBox.question`` with the text shown literally (it may quote clerk input)."""
    from PySide6.QtWidgets import QMessageBox  # loaded with the first message, not the window

    return QMessageBox.question(parent, title, plain(text), *args)


def warn(parent: QWidget | None, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
    """``QMessageBox.warning`` with the text shown literally."""
    from PySide6.QtWidgets import QMessageBox  # loaded with the first message, not the window

    return QMessageBox.warning(parent, title, plain(text), *args)


def inform(parent: QWidget | None, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
    """``QMessageBox.information`` with the text shown literally."""
    from PySide6.QtWidgets import QMessageBox  # loaded with the first message, not the window

    return QMessageBox.information(parent, title, plain(text), *args)


def fail(parent: QWidget | None, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
    """``QMessageBox.critical`` with the text shown literally."""
    from PySide6.QtWidgets import QMessageBox  # loaded with the first message, not the window

    return QMessageBox.critical(parent, title, plain(text), *args)


def span(text: str, tone: str) -> str:
    """An escaped fragment in one of the window's colours, for rich-text labels."""
    return f"<span style='color:{COLOURS[tone]}'>{esc(text)}</span>"


def set_tone(widget: QWidget, tone: str | None) -> None:
    """Hint, error, warning, notice or source look (None: the normal one), also after show."""
    widget.setProperty("tone", tone or "")
    dress(widget)


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """A red frame on a field the clerk must correct (every invalid field at once)."""
    if bool(widget.property("invalid")) != invalid:
        widget.setProperty("invalid", invalid)
        widget.setStyleSheet(sheet(INVALID_SHEET) if invalid else "")


def roomy_dialog(dialog: QWidget) -> None:
    """A dialog the clerk can maximise, minimise and resize: on a 1366×768 screen a form may need
    all the room there is. Call in the constructor, before the dialog is shown."""
    flags = dialog.windowFlags() | Qt.WindowType.WindowMinMaxButtonsHint | Qt.WindowType.WindowCloseButtonHint
    dialog.setWindowFlags(flags & ~Qt.WindowType.WindowContextHelpButtonHint)
    if hasattr(dialog, "setSizeGripEnabled"):
        dialog.setSizeGripEnabled(True)


def center_on(widget: QWidget, anchor: QWidget | None) -> None:
    """Put a window in the middle of ``anchor``'s window (the main window), not of the screen."""
    host = anchor.window() if anchor is not None else None
    if host is None or not host.isVisible():
        return
    frame = widget.frameGeometry()
    frame.moveCenter(host.frameGeometry().center())
    widget.move(frame.topLeft())


def set_role(widget: QWidget, role: str) -> None:
    widget.setProperty("role", role)
    dress(widget)


def plain_label(text: str = "", *, tone: str | None = None, role: str | None = None,
                wrap: bool = False, parent: QWidget | None = None) -> QLabel:
    """A label that shows its text literally (clerk input never becomes markup)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if tone:
        label.setProperty("tone", tone)
    if role:
        label.setProperty("role", role)
    if tone or role:
        dress(label)
    return label


def hint_label(text: str = "", *, wrap: bool = True, parent: QWidget | None = None) -> QLabel:
    return plain_label(text, tone="hint", wrap=wrap, parent=parent)


def error_label(text: str = "", *, parent: QWidget | None = None) -> QLabel:
    return plain_label(text, tone="error", wrap=True, parent=parent)


def warning_label(text: str = "", *, parent: QWidget | None = None) -> QLabel:
    return plain_label(text, tone="warning", wrap=True, parent=parent)


def section_label(text: str = "", *, parent: QWidget | None = None) -> QLabel:
    """A heading inside a page (the selected unit, leader or article)."""
    return plain_label(text, role="section", parent=parent)


def heading_label(text: str = "", *, parent: QWidget | None = None) -> QLabel:
    """A small bold heading (a part of a form, the sections of a debrief)."""
    return plain_label(text, role="heading", parent=parent)


def page_header(title: str, hint: str = "") -> QWidget:
    """The title line every page starts with: one title size, an optional hint below it."""
    header = QWidget()
    layout = QVBoxLayout(header)
    layout.setContentsMargins(0, 0, 0, 4)
    layout.setSpacing(2)
    heading = plain_label(title, role="title")
    name(heading, "pageTitle")
    layout.addWidget(heading)
    if hint:
        layout.addWidget(hint_label(hint))
    return header


def page_layout(page: QWidget) -> QVBoxLayout:
    """The outer layout of a page, with the margins every page uses."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(*PAGE_MARGINS)
    return layout


# -- tables -------------------------------------------------------------------------------
def char_width(widget: QWidget, chars: float) -> int:
    """Width of ``chars`` Chinese characters in the widget's font (columns sized in text, not
    pixels, stay right at 125 % or 150 % display scaling)."""
    return int(widget.fontMetrics().horizontalAdvance("汉") * chars)


def row_height(widget: QWidget) -> int:
    """One line of text with a little air: as many rows as possible on a 768-pixel screen."""
    return widget.fontMetrics().height() + 8


class EmptyState(QLabel):
    """A sentence in the middle of an empty list saying what to do next ("尚无履职纪实，按
    Ctrl+N 新建"); ``text_fn`` gives it, since what to say depends on why the list is empty
    (nothing yet, or a filter that matches nothing).

    It lies on the view over its viewport rather than inside the viewport: the viewport is a
    widget Qt made, and the first such widget handed to Python makes PySide resolve its type
    against every widget class (~25 ms of the window's start)."""

    def __init__(self, view: QAbstractItemView, text_fn: Callable[[], str]) -> None:
        super().__init__(view)
        self.view = view
        self.text_fn = text_fn
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_tone(self, "hint")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.refresh)
        view.installEventFilter(self)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        if not shiboken_valid(self.view):  # a view being destroyed clears its own model
            return
        empty = self.view.model().rowCount() == 0
        if empty:
            self.setText(self.text_fn())
            self._place()
        self.setVisible(empty and bool(self.text()))

    def _place(self) -> None:
        """Over the viewport: the view's inside less its header margins."""
        area = self.view.contentsRect().marginsRemoved(self.view.viewportMargins())
        area = area.adjusted(24, 12, -24, -12)
        self.setGeometry(area.x(), area.y(), area.width(), max(area.height(), 40))

    def eventFilter(self, obj: object, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LayoutRequest):
            self._place()
        return False


class CutOffTips(QStyledItemDelegate):
    """A cell whose text does not fit shows it whole as a tooltip (plain text); a cell with a
    tooltip of its own (the model's) shows that one."""

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView,  # noqa: N802 - Qt API
                  option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> bool:
        if event is not None and event.type() == QEvent.Type.ToolTip and index.isValid() \
                and not index.data(Qt.ItemDataRole.ToolTipRole):
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if text and cut_off(view, option, str(text)):
                QToolTip.showText(event.globalPos(), plain(str(text)), view, option.rect)
                return True
            QToolTip.hideText()
            return True
        return super().helpEvent(event, view, option, index)


def cut_off(view: QWidget, option: QStyleOptionViewItem, text: str) -> bool:
    """True when ``text`` is wider than the cell (with the style's text margins)."""
    margin = view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    return option.fontMetrics.horizontalAdvance(text) + 2 * margin > option.rect.width()


def setup_table(
    view: QTableView,
    *,
    multi: bool = False,
    sortable: bool = False,
    stretch: int | None = None,
    widths: Sequence[int] = (),
    alternate: bool = True,
    editable: bool = False,
) -> QTableView:
    """The set-up the list tables share: whole rows selected (one, or several with ``multi``),
    read-only, alternating rows, one text line per row at the font's height, no row numbers,
    the whole text of a cut-off cell as its tooltip;
    ``widths`` in pixels for the first columns, ``stretch`` the column that takes the rest."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                          else QAbstractItemView.SelectionMode.SingleSelection)
    if not editable:
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(alternate)
    if type(view.itemDelegate()) is QStyledItemDelegate:  # keep a view's own delegate
        view.setItemDelegate(CutOffTips(view))
    view.setWordWrap(False)
    view.setSortingEnabled(sortable)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(row_height(view))
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in enumerate(widths):
        if width > 0:  # 0: leave the column as it is (the stretched one, say)
            view.setColumnWidth(column, width)
    if stretch is not None:
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def table(model: object, *, parent: QWidget | None = None, **options: object) -> QTableView:
    """A new table view on ``model`` with :func:`setup_table`'s options."""
    view = QTableView(parent)
    view.setModel(model)  # type: ignore[arg-type]
    return setup_table(view, **options)  # type: ignore[arg-type]


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A label whose &-shortcut moves the focus to ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def heading_fields(title: tuple[str, QWidget], row: Sequence[tuple[str, QWidget]],
                   stretches: tuple[int, int]) -> QGridLayout:
    """A document's own fields above its text: the title across the whole width, then one line
    of three labelled fields (the first two stretched by ``stretches``, the last as narrow as
    it is made)."""
    from PySide6.QtWidgets import QGridLayout  # a document page's, not the first paint's

    grid = QGridLayout()
    grid.setHorizontalSpacing(6)
    grid.setVerticalSpacing(4)
    grid.addWidget(buddy_label(title[0], title[1]), 0, 0)
    grid.addWidget(title[1], 0, 1, 1, 2 * len(row) - 1)
    for i, (text, widget) in enumerate(row):
        grid.addWidget(buddy_label(text, widget), 1, 2 * i)
        grid.addWidget(widget, 1, 2 * i + 1)
    grid.setColumnStretch(1, stretches[0])
    grid.setColumnStretch(3, stretches[1])
    return grid
