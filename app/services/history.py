"""Results derived from many stored blocks at once: scores for the home screen, and each question's
history for the block builder's pools. No Qt.

A closed block (finished or abandoned) never gets another event and keeps the answer keys it was sat
with (question snapshots), so its sitting is derived once per process, whatever packs are imported later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.records import SessionInfo
from app.core.scoring import BlockScore, ItemState, derive_items, score_items
from app.storage.repositories import Store


@dataclass(frozen=True)
class Sitting:
    """One block as sat: (question key, correct label) by position, and the derived item states."""

    keys: list[tuple[int, str]]
    states: list[ItemState]


class History:
    """Derives sittings in bulk (a few queries, whatever their number) and remembers closed ones."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._states: dict[int, list[ItemState]] = {}
        self._keys: dict[int, list[tuple[int, str]]] = {}

    def sittings(self, sessions: Sequence[SessionInfo]) -> dict[int, Sitting]:
        """Each session's sitting (treat the states as read-only: closed ones are shared)."""
        events = self.store.events_by_session(info.id for info in sessions if info.id not in self._states)
        keyed = self.store.session_answer_keys(info.id for info in sessions if info.id not in self._keys)
        out: dict[int, Sitting] = {}
        for info in sessions:
            keys = self._keys[info.id] if info.id in self._keys else keyed[info.id]
            states = self._states[info.id] if info.id in self._states else derive_items(events[info.id], len(keys))
            if info.status != "active":
                self._keys[info.id] = keys
                self._states[info.id] = states
            out[info.id] = Sitting(keys, states)
        return out

    def scores(self, sessions: Sequence[SessionInfo]) -> dict[int, BlockScore]:
        """The score of each session."""
        return {
            session_id: score_items(sitting.states, [answer for _, answer in sitting.keys])[1]
            for session_id, sitting in self.sittings(sessions).items()
        }

    def question_history(self) -> dict[int, tuple[bool, bool]]:
        """Per question key: (last result incorrect, marked at last sitting), oldest sitting first."""
        sessions = self.store.sessions(kind="block")
        sittings = self.sittings(sessions)
        history: dict[int, tuple[bool, bool]] = {}
        for info in sessions:
            sitting = sittings[info.id]
            finished = info.status == "finished"
            for (key, answer), state in zip(sitting.keys, sitting.states, strict=True):
                history[key] = (finished and state.answer != answer, state.marked)
        return history
