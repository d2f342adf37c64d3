"""One rule for every page that shows data ``ctx.notify(kind)`` can change: reload at once when
the page is visible, otherwise remember that it is stale and reload the next time it is shown.
A hidden page does no work, and a visible one is never out of date."""

from __future__ import annotations

from typing import Any


class RefreshOnDataChange:
    """Mixin for page QWidgets. Set :attr:`DATA_KINDS`, call :meth:`watch_data` in ``__init__``;
    the page's loading method clears ``_stale``. "all" (a restore, another database) always
    counts."""

    DATA_KINDS: frozenset[str] = frozenset()
    _stale: bool = True

    def watch_data(self, ctx: Any) -> None:
        ctx.events.changed.connect(self._data_changed)

    def refresh_data(self) -> None:
        """What a change reloads; pages whose loading method has another name override it."""
        self.reload()  # type: ignore[attr-defined]

    def _data_changed(self, kind: str) -> None:
        if kind != "all" and kind not in self.DATA_KINDS:
            return
        self._stale = True
        if self.isVisible():  # type: ignore[attr-defined]
            self.refresh_data()

    def on_shown(self) -> None:
        if self._stale:
            self.refresh_data()
