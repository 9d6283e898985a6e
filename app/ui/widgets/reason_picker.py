"""Why an item was missed: its patterns, the suggested reason, and the user's own choice.

The choice is handed to ``store(session_id, position, reason_id)`` at once (the analysis service
appends it; the latest one wins), so it survives a restart. Keyboard: the ``reason_picker`` shortcut
of ``resources/shortcuts.json`` focuses the list and opens it; arrows and Enter choose.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.core.analysis.reasons import ReasonTaxonomy, default_taxonomy
from app.core.analysis.result import ItemAnalysis
from app.core.reference_data import shortcuts
from app.ui.widgets.naming import named

ReasonStore = Callable[[int, int, str], object]
"""Store a reason: (session id, 1-based position, reason id)."""
NOT_GIVEN = "Choose why you missed it…"


class ReasonPicker(QWidget):
    """Patterns and suggested reason of one item, and a list to confirm or correct the reason.

    Signals:
        reason_chosen(int, int, str): session id, 0-based position and reason id, after it was stored.
    """

    reason_chosen = Signal(int, int, str)

    def __init__(
        self, store: ReasonStore | None, taxonomy: ReasonTaxonomy | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reasonPicker")
        self._store = store
        self.taxonomy = taxonomy or default_taxonomy()
        self._item: tuple[int, int] | None = None
        self._suggested: str | None = None
        self.patterns_label = named(QLabel(), "muted")
        self.patterns_label.setWordWrap(True)
        self.combo = named(QComboBox(), "reasonBox")
        self.combo.setAccessibleName("Why was it missed")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(12)
        self.combo.addItem(NOT_GIVEN, None)
        categories = {c.id: c.name for c in self.taxonomy.categories}
        for reason in self.taxonomy.reasons:
            self.combo.addItem(f"{reason.name}  ({categories[reason.category]})", reason.id)
            self.combo.setItemData(self.combo.count() - 1, reason.description, Qt.ItemDataRole.ToolTipRole)
        self.status_label = named(QLabel(), "muted")
        shortcut = shortcuts().get("reason_picker")
        self.action = QAction(shortcut.text, self)
        self.action.setShortcuts([QKeySequence(k) for k in shortcut.keys])
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self.open_list)
        self.addAction(self.action)
        keys = ", ".join(shortcut.keys)
        self.prompt = QLabel(f"Reason ({keys}):")
        self.prompt.setBuddy(self.combo)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.prompt)
        row.addWidget(self.combo, 1)
        row.addWidget(self.status_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.patterns_label)
        layout.addLayout(row)
        self.combo.activated.connect(self._chosen)
        self.show_item(None)

    def show_item(self, item: ItemAnalysis | None, missed: bool = True) -> None:
        """Show an item's patterns and reasons (None: nothing to show)."""
        self._item = None
        self._suggested = item.suggested_reason if item is not None else None
        if item is None:
            self.patterns_label.setText("")
            self.combo.setCurrentIndex(0)
            self.combo.setEnabled(False)
            self.status_label.setText("")
            return
        patterns = ", ".join(item.patterns) or "none"
        suggested = self.taxonomy.get(item.suggested_reason).name if item.suggested_reason is not None else "—"
        self.patterns_label.setText(f"Patterns: {patterns} · Suggested reason: {suggested}")
        index = self.combo.findData(item.reason) if item.reason is not None else 0
        self.combo.setCurrentIndex(max(0, index))
        self.combo.setEnabled(missed and self._store is not None)
        self.status_label.setText("your reason" if item.reason else ("" if missed else "answered correctly"))
        if missed:
            self._item = (item.facts.session_id, item.facts.position)

    def open_list(self) -> None:
        """The shortcut: focus the list and open it, on the suggested reason when none is given yet."""
        if self.combo.isEnabled() and self.isVisible():
            self.combo.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.combo.showPopup()
            suggested = self.combo.findData(self._suggested) if self._suggested is not None else -1
            if self.combo.currentIndex() == 0 and suggested > 0:
                self.combo.view().setCurrentIndex(self.combo.model().index(suggested, 0))

    def choose(self, reason_id: str) -> None:
        """Choose a reason as the user would (tests, and the list's own activation)."""
        index = self.combo.findData(reason_id)
        if index < 0:
            raise KeyError(reason_id)
        self.combo.setCurrentIndex(index)
        self._chosen(index)

    def _chosen(self, index: int) -> None:
        reason = self.combo.itemData(index)
        if self._item is None or self._store is None or reason is None:
            return
        session_id, position = self._item
        self._store(session_id, position + 1, str(reason))
        self.status_label.setText("your reason · saved")
        self.reason_chosen.emit(session_id, position, str(reason))
