"""The record form (新建/编辑履职纪实): keyboard first, nothing typed is ever lost.

- 履职日期 is the day the duty was performed (the entry time is kept apart by the store);
- 负责人 offers the leaders in office on that day (search box above the list);
- 履职事项 offers the duties that count in that year (the year's rules and its supplements);
  those that bind none of the chosen leaders' roles are greyed out in place — ticking a leader
  never moves the list under the mouse;
- 引用条款 cites any number of articles; ticking a duty ticks the article it comes from;
- 附件: add with 添加… or by dragging files onto the list; files are copied when saving;
- 佐证任务: the work-point tasks of that year the record evidences (linked after saving).
- 学时 appears (and is asked for) when a chosen duty counts study hours ("每年不少于40学时"):
  typed as 2 or 1.5; a record that already carries hours always shows them.

Ctrl+S saves, Esc cancels (asking first when something changed). Every invalid field is framed
in red at once, with all the reasons below the form (no box per error). A likely duplicate (same
leader, duty and day) is reported before saving and can be saved anyway. When saving fails the
dialog stays open with everything the clerk typed, and says why in Chinese.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.domain import (
    RECORD_KINDS,
    Role,
    duty_applies_to,
    guess_record_kind,
    quota_text,
)
from duty_tracker.core.services import records
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.core.storage.records_repo import parse_hours
from duty_tracker.ui import look
from duty_tracker.ui.commands import SaveRecordCommand
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.widgets.attachment_list import AttachmentList
from duty_tracker.ui.widgets.check_list import CheckList
from duty_tracker.ui.widgets.date_range import from_qdate, make_date_edit, to_qdate
from duty_tracker.ui.widgets.record_tasks import RecordTasksBox

_PATH_ROLE = Qt.ItemDataRole.UserRole
_ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole + 1


class RecordDialog(QDialog):
    saved = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        record_id: int | None = None,
        *,
        preset: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store = ctx.store
        self.record_id = record_id
        self._record: dict[str, Any] | None = None
        self._removed_attachments: list[int] = []
        self._rule_sets: tuple[int, ...] | None = None
        self._duty_rows: dict[int, dict[str, Any]] = {}
        self._auto_articles: set[int] = set()  # ticked because a chosen duty cites them
        self._duties_before: list[int] = []
        self._leader_rows = {row["id"]: row for row in self.store.people.leaders()}
        self.setWindowTitle("编辑履职纪实" if record_id else "新建履职纪实")
        look.roomy_dialog(self)
        self._build()
        if record_id is not None:
            self._load(record_id)
        else:
            self._apply_preset(preset or {})
        self._initial = self.values()
        geometry = ctx.settings.value("record_dialog/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(980, 660)

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        self._make_fields()
        self.hint = look.warning_label(parent=self)
        self.problems_label = look.error_label(parent=self)
        self.problems_label.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self._top_rows())
        layout.addLayout(self._lists(), 3)
        layout.addLayout(self._details(), 3)
        layout.addWidget(self.hint)
        layout.addWidget(self.problems_label)
        layout.addWidget(self._buttons())
        self._set_tab_order()
        self._connect()

    def _make_fields(self) -> None:
        self.date_edit = make_date_edit(self)
        self.date_edit.setToolTip("履行职责的日期（不是录入日期）")
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItems(RECORD_KINDS)
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText("如：党委理论学习中心组专题学习《中华人民共和国民法典》")
        self.hours_edit = QLineEdit(self)
        self.hours_edit.setPlaceholderText("如 2 或 1.5")
        self.hours_edit.setMaximumWidth(look.char_width(self, 9))
        self.hours_label = _label("学时(&H)", self.hours_edit)
        self.leaders = CheckList("按姓名、单位搜索负责人…", self)
        self.duties = CheckList("搜索履职事项…", self)
        self.articles = CheckList("搜索条款…", self)
        self.articles.setToolTip("本记录引用的条款（可多选）；勾选履职事项时，其所依据的条款自动勾选")
        self.place_edit = QLineEdit(self)
        self.participants_edit = QLineEdit(self)
        self.participants_edit.setPlaceholderText("参加人员，用顿号分隔")
        self.minutes_edit = QLineEdit(self)
        self.minutes_edit.setPlaceholderText("如：西纪〔2025〕12号")
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText("主要内容、形成的决定和工作要求等")
        self.attachments = AttachmentList(self)
        self.add_file_button = QPushButton("添加…", self)
        self.open_file_button = QPushButton("打开", self)
        self.remove_file_button = QPushButton("移除", self)
        self.task_links = RecordTasksBox(self.ctx, self)

    def _top_rows(self) -> QGridLayout:
        top = QGridLayout()
        top.addWidget(_label("履职日期(&D)", self.date_edit), 0, 0)
        top.addWidget(self.date_edit, 0, 1)
        top.addWidget(_label("类型(&K)", self.kind_combo), 0, 2)
        top.addWidget(self.kind_combo, 0, 3)
        top.addWidget(self.hours_label, 0, 4)
        top.addWidget(self.hours_edit, 0, 5)
        top.setColumnStretch(6, 1)
        top.addWidget(_label("标题(&T)", self.title_edit), 1, 0)
        top.addWidget(self.title_edit, 1, 1, 1, 6)
        return top

    def _lists(self) -> QHBoxLayout:
        leaders_box = QGroupBox("负责人（当日在任，可多选）", self)
        QVBoxLayout(leaders_box).addWidget(self.leaders)
        duties_box = QGroupBox("履职事项（可多选）", self)
        QVBoxLayout(duties_box).addWidget(self.duties)
        lists = QHBoxLayout()
        lists.addWidget(leaders_box, 2)
        lists.addWidget(duties_box, 3)
        return lists

    def _details(self) -> QHBoxLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_label("地点(&P)", self.place_edit), self.place_edit)
        form.addRow(_label("参加人员(&R)", self.participants_edit), self.participants_edit)
        form.addRow(_label("纪要文号(&M)", self.minutes_edit), self.minutes_edit)
        form.addRow(_label("内容摘要(&S)", self.description_edit), self.description_edit)
        files = QWidget(self)
        files_layout = QVBoxLayout(files)
        files_layout.addWidget(look.hint_label("可把文件拖入下面的列表", wrap=False))
        files_layout.addWidget(self.attachments, 1)
        buttons_row = QHBoxLayout()
        for button in (self.add_file_button, self.open_file_button, self.remove_file_button):
            buttons_row.addWidget(button)
        files_layout.addLayout(buttons_row)
        self.side_tabs = QTabWidget(self)
        self.side_tabs.addTab(self.articles, "引用条款(&A)")
        self.side_tabs.addTab(files, "附件")
        self.side_tabs.addTab(self.task_links, "佐证任务")
        bottom = QHBoxLayout()
        bottom.addLayout(form, 3)
        bottom.addWidget(self.side_tabs, 2)
        return bottom

    def _buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("保存 (Ctrl+S)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.cancel_button.setAutoDefault(False)
        return self.buttons

    def _set_tab_order(self) -> None:
        order = [self.date_edit, self.kind_combo, self.hours_edit, self.title_edit, self.leaders.search,
                 self.leaders.list,
                 self.duties.search, self.duties.list, self.place_edit,
                 self.participants_edit, self.minutes_edit, self.description_edit,
                 self.articles.search, self.articles.list, self.attachments,
                 self.add_file_button, self.open_file_button, self.remove_file_button,
                 self.save_button, self.cancel_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.date_edit.dateChanged.connect(self._date_changed)
        self.leaders.changed.connect(self._leaders_changed)
        self.duties.changed.connect(self._duties_changed)
        self.articles.changed.connect(self._articles_changed)
        self.title_edit.textEdited.connect(lambda _t: look.mark_invalid(self.title_edit, False))
        self.hours_edit.textEdited.connect(lambda _t: look.mark_invalid(self.hours_edit, False))
        self.hours_edit.textEdited.connect(lambda _t: self._update_hint())
        self.leaders.changed.connect(lambda: look.mark_invalid(self.leaders.list, False))
        self.attachments.model().rowsRemoved.connect(lambda *_: look.mark_invalid(self.attachments, False))
        self.add_file_button.clicked.connect(self.choose_files)
        self.open_file_button.clicked.connect(self.open_selected_attachment)
        self.remove_file_button.clicked.connect(self.remove_selected_attachments)
        self.attachments.files_dropped.connect(self.add_files)
        self.attachments.itemDoubleClicked.connect(lambda _item: self.open_selected_attachment())

    # -- filling ---------------------------------------------------------------------------
    def _apply_preset(self, preset: dict[str, Any]) -> None:
        day = preset.get("performed_on") or self.ctx.today()
        self.date_edit.setDate(to_qdate(day))
        self._date_changed()
        if preset.get("kind") in RECORD_KINDS:
            self.kind_combo.setCurrentText(preset["kind"])
        self.leaders.set_checked(preset.get("leader_ids") or [])
        self.duties.set_checked(preset.get("duty_ids") or [])
        if not preset.get("kind") and preset.get("duty_ids"):
            self._guess_kind()
        self.title_edit.setText(preset.get("title", ""))
        self._show_hours()

    def _load(self, record_id: int) -> None:
        record = self.store.records.record(record_id)
        self._record = record
        self.date_edit.setDate(QDate.fromString(record["performed_on"], "yyyy-MM-dd"))
        self._date_changed()
        self.title_edit.setText(record["title"])
        self.kind_combo.setCurrentText(record["kind"])
        self.leaders.set_checked(record["leader_ids"])
        self.duties.set_checked(record["duty_ids"])
        self.articles.set_checked(record.get("article_ids") or [])
        self._auto_articles.clear()  # what the record cites was the clerk's choice
        self.place_edit.setText(record.get("place") or "")
        self.participants_edit.setText(record.get("participants") or "")
        self.minutes_edit.setText(record.get("minutes_number") or "")
        self.description_edit.setPlainText(record.get("description") or "")
        self.task_links.load_record(record_id)
        hours = record.get("hours")
        self.hours_edit.setText("" if hours is None else f"{float(hours):g}")
        self._show_hours()
        for attachment in record["attachments"]:
            item = QListWidgetItem(f"{attachment['file_name']}（{_size(attachment['size'])}）", self.attachments)
            item.setData(_ATTACHMENT_ROLE, attachment)
            item.setToolTip(f"已保存 · SHA-256 {attachment['sha256'][:16]}…")

    def performed_on(self) -> date:
        return from_qdate(self.date_edit.date())

    def performed_on_text(self) -> str:
        """The date as ISO text, or what was typed when it is no date (the check says so)."""
        return self.performed_on().isoformat() if self.date_edit.is_valid() else self.date_edit.text()

    def _date_changed(self) -> None:
        day = self.performed_on()
        in_office = self.store.people.leaders_in_office(day)
        self.leaders.set_items(
            [(row["id"], f"{row['name']}（{row['unit_name']} {row['position']}）".replace(" ）", "）"),
              Role(row["role"]).label) for row in in_office],
            stale_suffix="（当日不在任）")
        self.task_links.show_year(day.year)
        rule_sets = tuple(self.store.rules.rule_sets_for_year(day.year))
        if rule_sets != self._rule_sets:  # another year with other rules: offer its duties
            self._rule_sets = rule_sets
            duties = self.store.rules.duties_for_year(day.year)
            self._duty_rows = {row["id"]: row for row in duties}
            self.duties.set_items([(row["id"], _duty_text(row), row.get("source_text") or row["title"])
                                   for row in duties], stale_suffix="（不属于该年度适用的规则）")
            self.articles.set_items(
                [(a["id"], _article_text(a, supplement=position > 0), " ".join(a["text"].split()))
                 for position, rule_set_id in enumerate(rule_sets)
                 for a in self.store.rules.articles(rule_set_id)],
                stale_suffix="（不属于该年度适用的规则）")
        self._leaders_changed()

    def _leaders_changed(self) -> None:
        """Grey out, in place, the duties that bind none of the chosen leaders' roles."""
        roles = {self._leader_rows[i]["role"] for i in self.leaders.checked_ids() if i in self._leader_rows}
        self.duties.mark([row["id"] for row in self._duty_rows.values()
                          if roles and not any(duty_applies_to(row["role"], role) for role in roles)],
                         "（不适用于所选负责人）")
        self._update_hint()

    def _duties_changed(self) -> None:
        """A ticked duty ticks the article it comes from; unticking it unticks that article
        again unless the clerk ticked it or another chosen duty cites it too."""
        now = self.duties.checked_ids()
        added = [i for i in now if i not in self._duties_before]
        self._duties_before = list(now)
        wanted = {self._duty_rows[i]["article_id"] for i in now
                  if i in self._duty_rows and self._duty_rows[i].get("article_id")}
        checked = self.articles.checked_ids()
        keep = [a for a in checked if a not in self._auto_articles or a in wanted]
        offered = set(self.articles.offered_ids())
        for duty_id in added:
            article = self._duty_rows.get(duty_id, {}).get("article_id")
            if article and article in offered and article not in keep:
                keep.append(article)
                self._auto_articles.add(article)
        self._auto_articles &= set(keep)
        if keep != checked:
            self.articles.set_checked(keep)
        self._show_hours()
        self._update_hint()

    def _articles_changed(self) -> None:
        self._auto_articles &= set(self.articles.checked_ids())  # unticked by hand: the clerk's

    def _guess_kind(self) -> None:
        for duty_id in self.duties.checked_ids():
            if duty_id in self._duty_rows:
                kind = guess_record_kind(self._duty_rows[duty_id]["title"])
                if kind != "其他":
                    self.kind_combo.setCurrentText(kind)
                    return

    def hours_duties(self) -> list[str]:
        """Titles of the chosen duties whose quota counts study hours."""
        return [self._duty_rows[i]["title"] for i in self.duties.checked_ids()
                if i in self._duty_rows and self._duty_rows[i].get("unit") == "hours"]

    def _show_hours(self) -> None:
        """学时 is there when a chosen duty counts hours, or the record carries some already;
        then it is asked for (bold label, the reason as tooltip)."""
        needed = self.hours_duties()
        shown = bool(needed) or bool(self.hours_edit.text().strip())
        self.hours_label.setVisible(shown)
        self.hours_edit.setVisible(shown)
        look.set_role(self.hours_label, "heading" if needed else "")
        self.hours_label.setText("学时(&H)*" if needed else "学时(&H)")
        tip = (f"“{'、'.join(needed)}”按学时计算：请填写本次学习的学时，如 2 或 1.5"
               if needed else "本次学习的学时，如 2 或 1.5")
        self.hours_edit.setToolTip(look.plain(tip))
        self.hours_edit.setPlaceholderText("必填，如 2 或 1.5" if needed else "如 2 或 1.5")

    def _update_hint(self) -> None:
        notes = []
        if self.hours_duties() and not self.hours_edit.text().strip():
            notes.append("所选履职事项按学时计算，请填写学时；不填则这条记录不计入学时。")
        offered_leaders = set(self.leaders.offered_ids())
        if any(i not in offered_leaders for i in self.leaders.checked_ids()):
            notes.append("所选负责人中有人在该日期不在任，这条记录不计入其履职。")
        offered_duties = set(self.duties.offered_ids())
        if any(i not in offered_duties for i in self.duties.checked_ids()):
            notes.append("有履职事项不属于该年度适用规则或不适用于所选负责人。")
        self.hint.setText(" ".join(notes))
        self.hint.setVisible(bool(notes))

    # -- values ----------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {
            "performed_on": self.performed_on_text(),
            "title": self.title_edit.text().strip(),
            "kind": self.kind_combo.currentText(),
            "place": self.place_edit.text().strip(),
            "participants": self.participants_edit.text().strip(),
            "minutes_number": self.minutes_edit.text().strip(),
            "description": self.description_edit.toPlainText(),
            "hours": self.hours_edit.text().strip(),
            "article_ids": self.articles.checked_ids(),
            "leader_ids": self.leaders.checked_ids(),
            "duty_ids": self.duties.checked_ids(),
            "new_files": [str(p) for p in self.pending_files()],
            "removed": list(self._removed_attachments),
            "task_ids": self.task_links.checked_ids(),
        }

    def is_dirty(self) -> bool:
        return self.values() != self._initial

    def pending_files(self) -> list[Path]:
        return [Path(self.attachments.item(i).data(_PATH_ROLE)) for i in range(self.attachments.count())
                if self.attachments.item(i).data(_PATH_ROLE)]

    # -- attachments -----------------------------------------------------------------------
    def choose_files(self) -> None:
        last = str(self.ctx.settings.value("record_dialog/last_dir", "") or "")
        files, _filter = QFileDialog.getOpenFileNames(
            self, "选择附件", last, "常用文件 (*.pdf *.jpg *.jpeg *.png *.doc *.docx *.xls *.xlsx *.ofd *.tif *.tiff);;所有文件 (*)")
        if files:
            self.ctx.settings.setValue("record_dialog/last_dir", str(Path(files[0]).parent))
            self.add_files([Path(f) for f in files])

    def add_files(self, files: list[Path]) -> None:
        present = {str(p) for p in self.pending_files()}
        for path in files:
            path = Path(path)
            if str(path) in present or not path.is_file():
                continue
            item = QListWidgetItem(f"{path.name}（{_size(path.stat().st_size)}，待保存）", self.attachments)
            item.setData(_PATH_ROLE, str(path))
            item.setToolTip(look.plain(str(path)))

    def open_selected_attachment(self) -> None:
        item = self.attachments.currentItem()
        if item is None:
            return
        attachment = item.data(_ATTACHMENT_ROLE)
        path = self.store.records.attachment_path(attachment) if attachment else Path(item.data(_PATH_ROLE))
        if not path.exists():
            look.warn(self, "无法打开附件", f"附件文件不存在：{path}\n可在“数据”页运行完整性检查。")
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            look.warn(self, "无法打开附件", f"系统没有可打开此类文件的程序：{path.name}")

    def remove_selected_attachments(self) -> None:
        for item in self.attachments.selectedItems() or ([self.attachments.currentItem()] if self.attachments.currentItem() else []):
            attachment = item.data(_ATTACHMENT_ROLE)
            if attachment:
                self._removed_attachments.append(int(attachment["id"]))
            self.attachments.takeItem(self.attachments.row(item))

    # -- saving ----------------------------------------------------------------------------
    def draft(self) -> records.RecordDraft:
        values = self.values()
        return records.RecordDraft(
            performed_on=values["performed_on"], title=values["title"], kind=values["kind"],
            leader_ids=values["leader_ids"], duty_ids=values["duty_ids"], place=values["place"],
            participants=values["participants"], minutes_number=values["minutes_number"],
            description=values["description"], article_ids=values["article_ids"],
            hours=_hours(values["hours"]),
            new_files=[Path(p) for p in values["new_files"]],
            removed_attachment_ids=values["removed"])

    def _field_widgets(self) -> dict[str, QWidget]:
        return {"performed_on": self.date_edit.edit, "title": self.title_edit, "kind": self.kind_combo,
                "leader_ids": self.leaders.list, "new_files": self.attachments,
                "hours": self.hours_edit}

    def save(self) -> bool:
        """Check the draft, ask about warnings, then save through the undo stack (one call)."""
        self.date_edit.commit()
        draft = self.draft()
        problems = records.check_draft(self.store, draft)
        if not self.show_problems(problems):
            return False
        for warning in records.warnings_for(self.store, draft, self.record_id):
            answer = look.ask(
                self, warning.title, f"{warning.message}\n\n仍要保存吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        command = SaveRecordCommand(self.ctx, draft, self.record_id)
        self.ctx.undo_stack.push(command)
        if command.error is not None or command.change is None:
            return self._fail(command.error or "未知错误")
        self.record_id = command.change.record_id
        self._link_tasks()
        self._record = self.store.records.record(self.record_id)
        self._removed_attachments.clear()
        self.saved.emit(self.record_id)
        self._initial = self.values()
        self.ctx.settings.setValue("record_dialog/geometry", self.saveGeometry())
        self.accept()
        return True

    def _link_tasks(self) -> None:
        """The ticked work-point tasks, for the unit of the record's leaders where it fits."""
        units = {self._leader_rows[i]["unit_id"] for i in self.leaders.checked_ids() if i in self._leader_rows}
        problem = self.task_links.save(self.record_id, units)
        if problem:
            look.warn(self, "佐证任务", f"纪实已保存，但与工作要点任务的关联未能全部保存：{problem}")

    def show_problems(self, problems: list[records.FieldProblem]) -> bool:
        """Frame every invalid field and list every reason at once; True when there are none."""
        widgets = self._field_widgets()
        bad = {p.field for p in problems}
        for name, widget in widgets.items():
            look.mark_invalid(widget, name in bad)
        self.problems_label.setText("尚不能保存：" + "；".join(p.message.rstrip("。") for p in problems) + "。"
                                    if problems else "")
        self.problems_label.setVisible(bool(problems))
        if problems:
            first = widgets.get(problems[0].field, self.title_edit)
            if first is self.attachments:
                self.side_tabs.setCurrentIndex(1)
            first.setFocus()
        return not problems

    def _fail(self, exc: Exception | str) -> bool:
        look.warn(self, "保存失败", f"纪实未能保存：{exc}\n\n您填写的内容仍保留在窗口中。")
        return False

    # -- closing ---------------------------------------------------------------------------
    def reject(self) -> None:
        if self.is_dirty():
            answer = look.ask(
                self, "放弃修改", "有尚未保存的内容，确定放弃吗？",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        self.ctx.settings.setValue("record_dialog/geometry", self.saveGeometry())
        super().reject()


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _hours(text: str) -> float | str | None:
    """The typed 学时 as a number; what was typed when it is none (the check says why)."""
    try:
        return parse_hours(text)
    except ValidationError:
        return text


def _duty_text(row: dict[str, Any]) -> str:
    need = quota_text(row["period"], row["min_count"], row.get("unit") or "times")
    ref = row.get("article_ref") or ""
    extra = "〔补充〕" if row.get("rule_set_scope") == "supplement" else ""
    return f"{extra}{ref} {row['title']}（{need}）".strip()


def _article_text(article: dict[str, Any], *, supplement: bool = False) -> str:
    """"第九条　党委主要负责人应当…" (the first words); "〔补充〕" for a supplement's article."""
    text = " ".join(article["text"].split())
    short = text[:28] + ("…" if len(text) > 28 else "")
    return f"{'〔补充〕' if supplement else ''}{article['label']}　{short}"


def _size(size: int | None) -> str:
    size = int(size or 0)
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"
