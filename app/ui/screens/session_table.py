"""The home screen's list of past and unfinished blocks and days: a lazily filled table model.

A long history lists thousands of sessions; the model holds one small row value each and hands the
view a screenful at a time (``canFetchMore``/``fetchMore``), formatting a start time in the user's
local time and locale only when that cell is first asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTime,
)

from app.ui.widgets.percent_bar import PERCENT_ROLE

COLUMNS = ("Started", "Mode", "Items", "Status", "Score")
SCORE_COLUMN = COLUMNS.index("Score")
FETCH_BATCH = 200

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class SessionRowView:
    """A past or unfinished block (or day) as the home screen lists it.

    ``started`` is the session's UTC ISO timestamp; ``percent`` is None while there is no score.
    """

    session_id: int
    kind: str
    started: str
    mode: str
    items: int
    status: str
    score: str
    percent: float | None = None


def local_time_text(iso_utc: str, locale: QLocale | None = None) -> str:
    """A stored UTC timestamp in the user's local time, in the locale's short date and time format."""
    local = datetime.fromisoformat(iso_utc).astimezone()
    moment = QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    return (locale or QLocale()).toString(moment, QLocale.FormatType.ShortFormat)


class SessionTableModel(QAbstractTableModel):
    """Rows of :class:`SessionRowView`, newest first, shown ``FETCH_BATCH`` at a time as the view scrolls."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SessionRowView] = []
        self._loaded = 0
        self._started_text: dict[int, str] = {}

    def set_rows(self, rows: list[SessionRowView]) -> None:
        """Replace every row; the first batch is shown at once, the rest as the view asks."""
        self.beginResetModel()
        self._rows = rows
        self._loaded = min(len(rows), FETCH_BATCH)
        self._started_text = {}
        self.endResetModel()

    def row_view(self, row: int) -> SessionRowView:
        """The session shown on ``row``."""
        return self._rows[row]

    def total_rows(self) -> int:
        """Every session, shown yet or not."""
        return len(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Rows fetched so far."""
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Started, mode, items, status and score."""
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802
        """Whether rows remain to be shown."""
        return not parent.isValid() and self._loaded < len(self._rows)

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802
        """Show the next batch."""
        if parent.isValid():
            return
        more = min(FETCH_BATCH, len(self._rows) - self._loaded)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._loaded, self._loaded + more - 1)
        self._loaded += more
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        """Column titles."""
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The cell's text, alignment, tooltip, or the score's percentage for the bar."""
        if not index.isValid() or index.row() >= self._loaded:
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), row, column)
        if role == PERCENT_ROLE and column == SCORE_COLUMN:
            return row.percent
        if role == Qt.ItemDataRole.ToolTipRole and column == SCORE_COLUMN:
            return row.score
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COLUMNS.index("Items"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, number: int, row: SessionRowView, column: int) -> str:
        if column == 0:
            text = self._started_text.get(number)
            if text is None:
                text = self._started_text[number] = local_time_text(row.started)
            return text
        return (row.started, row.mode, str(row.items), row.status, row.score)[column]
