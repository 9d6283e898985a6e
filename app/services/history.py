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
        """The score of each session: closed ones from their stored summaries, open ones replayed."""
        out = self.store.derived.scores(info.id for info in sessions if info.status != "active")
        missing = [info for info in sessions if info.id not in out]
        for session_id, sitting in self.sittings(missing).items():
            out[session_id] = score_items(sitting.states, [answer for _, answer in sitting.keys])[1]
        return out

    def question_history(self) -> dict[int, tuple[bool, bool]]:
        """Per question key: (last result incorrect, marked at last sitting), the latest sitting winning.

        Closed blocks come from the derived question states; only open blocks are replayed.
        """
        states = self.store.derived.question_states()
        latest = {key: state.session_id for key, state in states.items()}
        history = {key: (state.last_incorrect, state.marked) for key, state in states.items()}
        open_blocks = self.store.sessions(status="active", kind="block")
        sittings = self.sittings(open_blocks)
        for info in open_blocks:
            for (key, _), state in zip(sittings[info.id].keys, sittings[info.id].states, strict=True):
                if info.id >= latest.get(key, 0):
                    latest[key] = info.id
                    history[key] = (False, state.marked)
        return history

    def last_wrong(self) -> dict[int, str]:
        """Per question key: when (``created_at``) the latest finished block that got it wrong was sat."""
        return {
            key: state.last_wrong_at
            for key, state in self.store.derived.question_states().items()
            if state.last_wrong_at is not None
        }
