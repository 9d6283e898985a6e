"""The rows of the home screen's history list, read from the services (scores in bulk)."""

from __future__ import annotations

from app.bootstrap import Services
from app.core.exam_day import DayPreset
from app.ui.screens.home_screen import SessionRowView


def home_rows(services: Services) -> list[SessionRowView]:
    """Standalone blocks and exam days, newest first, with their scores."""
    sessions = [info for info in reversed(services.store.sessions()) if info.parent_id is None]
    day_scores = services.days.scores([info.id for info in sessions if info.kind == "day"])
    block_scores = services.blocks.scores(
        [info for info in sessions if info.kind == "block" and info.status == "finished"]
    )
    rows = []
    for info in sessions:
        started = info.created_at[:16].replace("T", " ")
        status = "Finished" if info.status == "finished" else "Unfinished"
        if info.kind == "day":
            day = day_scores[info.id]
            score_text = f"{day.correct}/{day.total} ({day.percent:.0f}%)" if day.total else "—"
            preset = DayPreset.model_validate(info.settings["preset"])
            rows.append(SessionRowView(info.id, "day", started, preset.name, preset.total_items, status, score_text))
            continue
        score_text = "—"
        if info.id in block_scores:
            score = block_scores[info.id]
            score_text = f"{score.correct}/{score.total} ({score.percent:.0f}%)"
        rows.append(SessionRowView(info.id, "block", started, info.mode.title(), info.item_count, status, score_text))
    return rows
