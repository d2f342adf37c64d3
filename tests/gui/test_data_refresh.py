"""Pages reload on data changes at once when visible, on the next show when hidden."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from duty_tracker.ui.pages.data_refresh import RefreshOnDataChange


class FakePage(RefreshOnDataChange, QWidget):
    DATA_KINDS = frozenset({"records"})

    def __init__(self, ctx) -> None:  # noqa: ANN001
        super().__init__()
        self.loads = 0
        self.reload()
        self.watch_data(ctx)

    def reload(self) -> None:
        self.loads += 1
        self._stale = False


def test_hidden_page_waits_for_show_and_ignores_other_kinds(ctx, qtbot) -> None:
    page = FakePage(ctx)
    qtbot.addWidget(page)
    ctx.notify("people")
    ctx.notify("records")
    assert page.loads == 1 and page._stale  # hidden: no work yet
    page.show()
    page.on_shown()
    assert page.loads == 2
    page.on_shown()
    assert page.loads == 2  # nothing new: no reload
    ctx.notify("all")
    assert page.loads == 3  # visible: at once
    ctx.notify("people")
    assert page.loads == 3
