"""The kinds of stored user action. Results are derived from these, never stored only as totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    """Every action that is appended to the event log."""

    BLOCK_STARTED = "block_started"
    ITEM_SHOWN = "item_shown"
    ANSWER_SELECTED = "answer_selected"
    ANSWER_CLEARED = "answer_cleared"
    MARKED = "marked"
    UNMARKED = "unmarked"
    OPTION_STRUCK = "option_struck"
    OPTION_RESTORED = "option_restored"
    HIGHLIGHT_ADDED = "highlight_added"
    HIGHLIGHTS_CLEARED = "highlights_cleared"
    HIGHLIGHT_REMOVED = "highlight_removed"
    NOTE_WRITTEN = "note_written"
    ITEM_SUBMITTED = "item_submitted"
    # The two-minute warning was shown to the candidate (stored so it fires once, even across a resume).
    WARNING_SHOWN = "warning_shown"
    PAUSED = "paused"
    RESUMED = "resumed"
    BLOCK_ENDED = "block_ended"


# Kinds that change the user's work on an item; refused once the block is over.
ITEM_ACTIONS = frozenset(
    {
        EventKind.ANSWER_SELECTED,
        EventKind.ANSWER_CLEARED,
        EventKind.MARKED,
        EventKind.UNMARKED,
        EventKind.OPTION_STRUCK,
        EventKind.OPTION_RESTORED,
        EventKind.HIGHLIGHT_ADDED,
        EventKind.HIGHLIGHTS_CLEARED,
        EventKind.HIGHLIGHT_REMOVED,
        EventKind.NOTE_WRITTEN,
        EventKind.ITEM_SUBMITTED,
    }
)


class EndReason(StrEnum):
    """Why a block ended."""

    USER = "user"
    EXPIRED = "expired"
    DAY_EXPIRED = "day_expired"


@dataclass(frozen=True)
class Event:
    """One stored action.

    ``elapsed`` is the block's active time in seconds when the action happened (time while the
    app was closed, paused or the computer slept is not counted); ``position`` is the item's
    0-based position in the block, when the action concerns an item.
    """

    kind: EventKind
    elapsed: float
    position: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
