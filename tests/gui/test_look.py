"""The look of the window from one place (ui/look.py), and clerk input always shown literally."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from duty_tracker.ui import look
from tests.gui.helpers import Answers

NASTY_UNIT = "<b>粗体</b><img src=x>"
NASTY_LEADER = "<i>斜体</i>&amp;"


def shown(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What a Qt text widget shows for ``text`` in format ``fmt`` (AutoText: Qt's own guess)."""
    rich = fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and QtGuiNamespace.mightBeRichText(text))
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def label_texts(widget: QWidget) -> list[str]:
    return [shown(label.text(), label.textFormat()) for label in widget.findChildren(QLabel)]


@pytest.fixture
def nasty(ctx):
    unit = ctx.store.people.add_unit(NASTY_UNIT, "区县")
    leader = ctx.store.people.add_leader(NASTY_LEADER, unit, "party", "<u>区委书记</u>",
                                         term_start="2021-01-01")
    return unit, leader


def test_people_page_shows_a_marked_up_unit_name_literally(ctx, qtbot, nasty, monkeypatch) -> None:
    from duty_tracker.ui.pages.people_page import PeoplePage

    unit, leader = nasty
    page = PeoplePage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.select_unit(unit)
    assert any(NASTY_UNIT in text for text in label_texts(page))  # 粗体 is not bold: the tags show
    index = page.index_for_unit(unit)
    assert shown(index.data(Qt.ItemDataRole.ToolTipRole)) == NASTY_UNIT
    answers = Answers(monkeypatch, answer=QMessageBox.StandardButton.No)
    page.delete_unit()
    assert NASTY_UNIT in shown(answers.questions[0].split("：", 1)[1])
    page.select_leader(leader)
    page.handover()
    assert any(NASTY_LEADER in text for text in label_texts(page.dialog))
    page.dialog.reject()


def test_dashboard_and_debrief_titles_show_names_literally(ctx, qtbot, nasty) -> None:
    from duty_tracker.ui.pages.dashboard_page import DashboardPage
    from duty_tracker.ui.pages.debrief_page import DebriefPage

    _unit, leader = nasty
    dashboard = DashboardPage(ctx)
    qtbot.addWidget(dashboard)
    dashboard.select_leader(leader)
    assert NASTY_LEADER in shown(dashboard.grid_title.text(), dashboard.grid_title.textFormat())
    debrief = DebriefPage(ctx)
    qtbot.addWidget(debrief)
    debrief.select_leader(leader)
    assert NASTY_LEADER in shown(debrief.leader_title.text(), debrief.leader_title.textFormat())
    assert NASTY_UNIT in shown(debrief.leader_info.text(), debrief.leader_info.textFormat())


def test_plain_keeps_ordinary_text_and_escapes_markup() -> None:
    assert look.plain("确定删除“西湖区”吗？\n删除后可撤销。") == "确定删除“西湖区”吗？\n删除后可撤销。"
    for text in (NASTY_UNIT, f"删除“{NASTY_UNIT}”？\n第二行", "&lt;b&gt;"):
        assert shown(look.plain(text)) == text


def test_every_page_title_has_one_size_and_no_widget_styles_itself(demo_ctx, qtbot) -> None:
    from duty_tracker.ui.main_window import PAGES, MainWindow

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    for index in range(len(PAGES)):
        window.show_page(index)
    titles = [label for label in window.findChildren(QLabel) if label.property("role") == "title"]
    assert len(titles) >= 4
    sizes = set()
    for label in titles:
        label.ensurePolished()
        sizes.add(label.font().pointSizeF())
    assert sizes == {14.0}
    own = look.own_sheets()
    styled = [type(w).__name__ for w in window.findChildren(QWidget)
              if w.styleSheet() and w.styleSheet() not in own]
    assert styled == []
    assert not QApplication.instance().styleSheet()  # none for the whole window: see ui.look


def test_hint_tone_comes_from_look_and_follows_a_change(qtbot) -> None:
    label = look.hint_label("提示")
    qtbot.addWidget(label)
    label.show()
    assert label.palette().color(label.foregroundRole()).name() == look.COLOURS["hint"]
    look.set_tone(label, "error")
    assert label.palette().color(label.foregroundRole()).name() == look.COLOURS["error"]


@pytest.mark.parametrize("view_class", ["QTableView", "QTreeView", "QListView"])
def test_an_empty_state_lies_over_the_viewport_and_follows_its_size(qtbot, view_class) -> None:
    """The sentence of an empty list lies on the view (not in Qt's viewport widget), so it has
    to find the viewport's place itself: below the header, inside the frame, after a resize."""
    from PySide6 import QtWidgets
    from PySide6.QtGui import QStandardItemModel

    view = getattr(QtWidgets, view_class)()
    qtbot.addWidget(view)
    model = QStandardItemModel(0, 3)
    model.setHorizontalHeaderLabels(["单位", "负责人", "状态"])
    view.setModel(model)
    state = look.EmptyState(view, lambda: "尚无内容")
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    for size in ((600, 400), (420, 260)):
        view.resize(*size)
        qtbot.wait(1)
        assert state.isVisible() and state.text() == "尚无内容"
        assert state.geometry() == view.viewport().geometry().adjusted(24, 12, -24, -12)
    model.appendRow([])
    assert not state.isVisible()


def test_a_view_that_clears_its_model_while_it_is_destroyed_leaves_no_error(qtbot) -> None:
    """A QTableWidget empties its own model as it is destroyed, after its C++ side is gone:
    the empty state lying on it must not reach for the dead view (an error in the event loop)."""
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    view = QTableWidget(2, 2)
    view.setItem(0, 0, QTableWidgetItem("甲"))
    look.EmptyState(view, lambda: "尚无内容")
    view.deleteLater()
    qtbot.wait(10)  # pytest-qt fails the test on any exception raised in a slot meanwhile


def test_roles_tones_and_names_look_as_look_says_and_change_back(qtbot) -> None:
    """A role is a size, weight and colour; a tone's colour wins over its role's; a boxed tone,
    a named widget and an invalid field carry look's own small style sheet, and lose it again."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QLineEdit, QListWidget

    def colour(widget: QWidget) -> str:
        return widget.palette().color(widget.foregroundRole()).name()

    parent = QWidget()
    qtbot.addWidget(parent)
    title = look.plain_label("标题", role="title", parent=parent)
    notice = look.plain_label("已保存", tone="notice", parent=parent)
    field = QLineEdit(parent)
    nav = QListWidget(parent)
    look.name(nav, "navigation")
    parent.show()
    normal = QLabel("正文", parent).palette().color(title.foregroundRole()).name()
    assert title.font().pointSizeF() == 14.0 and title.font().weight() == QFont.Weight.DemiBold
    assert colour(title) == look.COLOURS["accent"]
    look.set_tone(title, "error")
    assert colour(title) == look.COLOURS["error"] and title.font().pointSizeF() == 14.0
    look.set_role(title, "")
    look.set_tone(title, None)
    assert colour(title) == normal and title.font().pointSizeF() == parent.font().pointSizeF()
    assert notice.styleSheet() == look.sheet(look.TONE_SHEETS["notice"])
    look.set_tone(notice, "hint")
    assert notice.styleSheet() == "" and colour(notice) == look.COLOURS["hint"]
    assert nav.objectName() == "navigation" and nav.styleSheet() in look.own_sheets()
    look.mark_invalid(field, True)
    assert field.styleSheet() == look.sheet(look.INVALID_SHEET)
    look.mark_invalid(field, False)
    assert field.styleSheet() == ""


def test_escaping_is_htmls_own() -> None:
    import html

    for text in ("<b>粗体</b>", "A & B", "a<b>c&amp;d", "\"引号\" 'single'", "", "普通文字"):
        assert look.esc(text) == html.escape(text, quote=False)
