"""The rows of the home screen's history list, read from the services (sessions once, scores in bulk)."""

from __future__ import annotations

from app.bootstrap import Services
from app.core.exam_day import DayPreset
from app.ui.screens.session_table import SessionRowView


def home_rows(services: Services) -> list[SessionRowView]:
    """Standalone blocks and exam days, newest first, with their scores (closed blocks: stored summaries)."""
    every = services.store.sessions()
    sessions = [info for info in reversed(every) if info.parent_id is None]
    day_scores = services.days.scores([info.id for info in sessions if info.kind == "day"], every)
    block_scores = services.blocks.scores(
        [info for info in sessions if info.kind == "block" and info.status == "finished"]
    )
    rows = []
    for info in sessions:
        status = "Finished" if info.status == "finished" else "Unfinished"
        if info.kind == "day":
            day = day_scores[info.id]
            preset = DayPreset.model_validate(info.settings["preset"])
            score_text, percent = (
                (f"{day.correct}/{day.total} ({day.percent:.0f}%)", day.percent) if day.total else ("—", None)
            )
            rows.append(
                SessionRowView(
                    info.id, "day", info.created_at, preset.name, preset.total_items, status, score_text, percent
                )
            )
            continue
        score_text, percent = "—", None
        if info.id in block_scores:
            score = block_scores[info.id]
            score_text, percent = f"{score.correct}/{score.total} ({score.percent:.0f}%)", score.percent
        rows.append(
            SessionRowView(
                info.id, "block", info.created_at, info.mode.title(), info.item_count, status, score_text, percent
            )
        )
    return rows
