"""The short welcome shown on the first start (a database without units): what the program
already did (created the database, loaded the default rules), where the data is, and three
ways on — add the first unit and leaders, load demo data to look around, or later.

The dialog only reports the choice (:attr:`WelcomeDialog.choice`); ``ui/first_run.py`` acts on
it, so the dialog is tested without a main window.
"""

from __future__ import annotations

import enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from duty_tracker import APP_NAME
from duty_tracker.paths import resource_path
from duty_tracker.ui import look


class WelcomeChoice(enum.Enum):
    ADD_PEOPLE = "add_people"
    LOAD_DEMO = "load_demo"
    LATER = "later"


class WelcomeDialog(QDialog):
    def __init__(self, *, db_path: Path, rule_set_title: str | None, duty_count: int = 0,
                 portable: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = WelcomeChoice.LATER
        self.setWindowTitle(f"欢迎使用{APP_NAME}")
        look.name(self, "welcomeDialog")  # the command links' look
        self.setFixedWidth(600)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addLayout(self._build_header())
        layout.addWidget(self._build_intro(db_path, rule_set_title, duty_count, portable))
        layout.addSpacing(4)
        layout.addWidget(QLabel("接下来您可以："))
        self._build_choices(layout)
        layout.addSpacing(6)
        layout.addLayout(self._build_footer())
        self.setFixedHeight(self.heightForWidth(600) if self.hasHeightForWidth() else self.sizeHint().height())
        self.add_people_button.setDefault(True)
        self.add_people_button.setFocus()

    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        header.setSpacing(14)
        icon = QLabel()
        try:
            icon.setPixmap(QIcon(str(resource_path("icons/app.png"))).pixmap(56, 56))
        except FileNotFoundError:
            icon.hide()
        header.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        title = look.plain_label(f"欢迎使用{APP_NAME}", role="welcome")
        title.setObjectName("welcomeTitle")
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(title)
        titles.addWidget(look.hint_label("党政主要负责人履行推进法治建设第一责任人职责纪实台账", wrap=False))
        header.addLayout(titles, 1)
        return header

    @staticmethod
    def _build_intro(db_path: Path, rule_set_title: str | None, duty_count: int, portable: bool) -> QLabel:
        where = "程序所在文件夹的 data 子文件夹（便携模式）" if portable else "本机"
        if rule_set_title:
            count = f"及其 {duty_count} 个履职事项" if duty_count else ""
            rules = f"数据库已新建，并已载入默认规则{count}：<br><b>《{look.esc(rule_set_title)}》</b>"
        else:
            rules = "数据库已新建。"
        intro = QLabel(f"{rules}<br>所有数据只保存在{where}，程序不需要联网。<br>"
                       + look.span(f"数据库位置：{db_path}", "hint"))
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setObjectName("welcomeIntro")
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return intro

    def _build_choices(self, layout: QVBoxLayout) -> None:
        self.add_people_button = QCommandLinkButton(
            "添加单位和负责人",
            "从本单位开始：录入党委、政府主要负责人及其任职时间，然后就可以记录履职情况。")
        self.add_people_button.setObjectName("welcomeAddPeople")
        self.demo_button = QCommandLinkButton(
            "载入演示数据",
            "生成示例单位、负责人和两年的履职纪实，先看看总览、台账和述职报告是什么样子。"
            "演示数据单独保存在“演示数据.db”中，不会混入正式台账；用“文件 → 回到正式数据库”返回。")
        self.demo_button.setObjectName("welcomeLoadDemo")
        for button in (self.add_people_button, self.demo_button):
            button.setIcon(QIcon())
            layout.addWidget(button)
        self.add_people_button.clicked.connect(lambda: self._choose(WelcomeChoice.ADD_PEOPLE))
        self.demo_button.clicked.connect(lambda: self._choose(WelcomeChoice.LOAD_DEMO))

    def _build_footer(self) -> QHBoxLayout:
        footer = QHBoxLayout()
        footer.addWidget(look.hint_label("以后随时可以在“负责人与单位”页面添加单位和负责人。"), 1)
        self.later_button = QPushButton("稍后")
        self.later_button.setObjectName("welcomeLater")
        self.later_button.clicked.connect(lambda: self._choose(WelcomeChoice.LATER))
        footer.addWidget(self.later_button)
        return footer

    def _choose(self, choice: WelcomeChoice) -> None:
        self.choice = choice
        if choice is WelcomeChoice.LATER:
            self.reject()
        else:
            self.accept()

    def reject(self) -> None:  # Esc and the window's close button mean 稍后
        self.choice = WelcomeChoice.LATER
        super().reject()

