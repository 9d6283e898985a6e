"""The rows of the home screen's history list, read from the services (sessions once, scores in bulk).

A closed block or day never changes, so :class:`HomeRows` keeps its row and a refresh reads only the
sessions created since, the open ones, and those that were open last time.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.bootstrap import Services
from app.core.exam_day import DayPreset
from app.core.records import SessionInfo
from app.ui.screens.session_table import SessionRowView


class HomeRows:
    """Standalone blocks and exam days, newest first, with their scores, remembering the closed ones."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._closed: dict[int, SessionRowView] = {}
        self._open: set[int] = set()
        self._seen = 0  # the newest session id read so far

    def rows(self) -> list[SessionRowView]:
        """Every row, newest first."""
        store = self.services.store
        fresh = store.sessions(after_id=self._seen, block_settings=False)
        still_open = {info.id: info for info in store.sessions(status="active", block_settings=False)}
        changed = [store.session(i) for i in self._open if i not in still_open and i <= self._seen]
        wanted = {info.id: info for info in [*fresh, *still_open.values(), *changed] if info.parent_id is None}
        if fresh:
            self._seen = max(info.id for info in fresh)
        rows = self._rows_of(list(wanted.values()), fresh)
        self._open = set()
        shown: dict[int, SessionRowView] = dict(self._closed)
        for info in wanted.values():
            shown[info.id] = rows[info.id]
            if info.status == "active":
                self._open.add(info.id)
                self._closed.pop(info.id, None)
            else:
                self._closed[info.id] = rows[info.id]
        return [shown[i] for i in sorted(shown, reverse=True)]

    def _rows_of(self, sessions: Sequence[SessionInfo], fresh: Sequence[SessionInfo]) -> dict[int, SessionRowView]:
        days = [info.id for info in sessions if info.kind == "day"]
        # A day's blocks: those just read, else read for that day alone (a day has a handful).
        children: list[SessionInfo] = [info for info in fresh if info.parent_id in set(days)]
        known = {info.id for info in children}
        for day_id in days:
            children += [info for info in self.services.store.children(day_id) if info.id not in known]
        day_scores = self.services.days.scores(days, children)
        block_scores = self.services.blocks.scores(
            [info for info in sessions if info.kind == "block" and info.status == "finished"]
        )
        rows: dict[int, SessionRowView] = {}
        for info in sessions:
            status = "Finished" if info.status == "finished" else "Unfinished"
            if info.kind == "day":
                day = day_scores[info.id]
                preset = DayPreset.model_validate(info.settings["preset"])
                score_text, percent = (
                    (f"{day.correct}/{day.total} ({day.percent:.0f}%)", day.percent) if day.total else ("—", None)
                )
                rows[info.id] = SessionRowView(
                    info.id, "day", info.created_at, preset.name, preset.total_items, status, score_text, percent
                )
                continue
            score_text, percent = "—", None
            if info.id in block_scores:
                score = block_scores[info.id]
                score_text, percent = f"{score.correct}/{score.total} ({score.percent:.0f}%)", score.percent
            rows[info.id] = SessionRowView(
                info.id, "block", info.created_at, info.mode.title(), info.item_count, status, score_text, percent
            )
        return rows


def home_rows(services: Services) -> list[SessionRowView]:
    """Standalone blocks and exam days, newest first, with their scores (read afresh)."""
    return HomeRows(services).rows()
