"""The review list's rows, indexed once off the GUI thread. No Qt.

A long history holds 100 k items: a filter that calls Python once per row, or a sort that builds a
key per row, stalls the window for half a second at each change. So the loader (on the worker)
indexes the items once: per filter value, a bit mask of the rows that have it (a Python ``int``, one
byte per row), and per column, the rows in sorted order. A filter change is then a few ``&`` of
masks and one ``itertools.compress`` over the order shown, all in C.

:func:`accepts` is the definition of the filters; :meth:`ReviewIndex.select` must equal it (a test
holds them together).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress

from app.core.analysis.reasons import default_taxonomy
from app.services.item_review import ReviewItem, ReviewItems

ANY = "any"
NO_REASON = "not-given"
UNCLASSIFIED = "unclassified"
COLUMNS = ("Date", "Block", "#", "Result", "Yours", "Key", "Marked", "Time", "Reason", "Patterns", "System")
REASON_COLUMN = COLUMNS.index("Reason")


@dataclass(frozen=True)
class ReviewCriteria:
    """The filters of the review list (``ANY`` or None: no filter)."""

    result: str = ANY
    pattern: str = ANY
    reason: str = ANY
    discipline: str = ANY
    system: str = ANY
    pack: str = ANY
    since: date | None = None
    until: date | None = None


def accepts(item: ReviewItem, c: ReviewCriteria) -> bool:
    """Whether an item passes every filter.

    Result "marked" means marked at the end of its block (whatever the result); reason matches your
    reason, else the suggested one; ``NO_REASON``: a missed item you have not given a reason yet.
    """
    if c.result == "marked":
        if not item.analysis.facts.marked:
            return False
    elif c.result != ANY and item.result != c.result:
        return False
    if c.pattern != ANY and c.pattern not in item.analysis.patterns:
        return False
    if c.reason == NO_REASON:
        if not item.missed or item.analysis.reason is not None:
            return False
    elif c.reason != ANY and item.reason != c.reason:
        return False
    if c.discipline != ANY and (item.discipline or UNCLASSIFIED) != c.discipline:
        return False
    if c.system != ANY and (item.system or UNCLASSIFIED) != c.system:
        return False
    if c.pack != ANY and item.analysis.pack_id != c.pack:
        return False
    if c.since is not None and item.sat_on < c.since:
        return False
    return not (c.until is not None and item.sat_on > c.until)


def reason_text(item: ReviewItem, names: dict[str, str]) -> str:
    """The Reason column: your reason, else the suggested one marked so."""
    if item.analysis.reason is not None:
        return names.get(item.analysis.reason, item.analysis.reason)
    if item.analysis.suggested_reason is not None:
        return f"{names.get(item.analysis.suggested_reason, '')} (suggested)"
    return ""


def sort_key(item: ReviewItem, column: int, names: dict[str, str]) -> object:
    """What a column sorts by (numbers for numbers: time on item sorts by seconds)."""
    facts = item.analysis.facts
    if column == 0:
        return (item.sat_on.toordinal(), facts.session_id, facts.position)
    if column in (1, 2):
        return (facts.session_id, facts.position) if column == 1 else (facts.position, facts.session_id)
    values: tuple[Callable[[], object], ...] = (
        lambda: item.result,
        lambda: facts.answer or "",
        lambda: facts.correct_answer or "",
        lambda: int(facts.marked),
        lambda: facts.time_on_item_s,
        lambda: reason_text(item, names),
        lambda: ", ".join(item.analysis.patterns),
        lambda: item.system or "",
    )
    return values[column - 3]()


def _masks(values: Iterable[Iterable[object]], n: int) -> dict[object, int]:
    """Per value, the rows that have it: byte r of the mask (big-endian, ``n`` bytes) is 1 for row r."""
    rows: dict[object, list[int]] = {}
    for row, row_values in enumerate(values):
        for value in row_values:
            rows.setdefault(value, []).append(row)
    masks = {}
    for value, where in rows.items():
        flags = bytearray(n)
        for row in where:
            flags[row] = 1
        masks[value] = int.from_bytes(flags, "big")
    return masks


def _one(value: object) -> tuple[object]:
    return (value,)


class ReviewIndex:
    """The items of a query with their filter masks and sort orders (built on the worker)."""

    def __init__(self, loaded: ReviewItems, names: dict[str, str] | None = None) -> None:
        self.loaded = loaded
        self.items: list[ReviewItem] = list(loaded.items)
        self.names = names if names is not None else {r.id: r.name for r in default_taxonomy().reasons}
        items, n = self.items, len(self.items)
        self.size = n
        self.all = int.from_bytes(b"\x01" * n, "big")
        self.masks: dict[str, dict[object, int]] = {
            "result": _masks(((i.result, "marked") if i.analysis.facts.marked else (i.result,) for i in items), n),
            "pattern": _masks((i.analysis.patterns for i in items), n),
            "reason": _masks((self._reasons(i) for i in items), n),
            "discipline": _masks((_one(i.discipline or UNCLASSIFIED) for i in items), n),
            "system": _masks((_one(i.system or UNCLASSIFIED) for i in items), n),
            "pack": _masks((_one(i.analysis.pack_id) for i in items), n),
            "date": _masks((_one(i.sat_on) for i in items), n),
        }
        self._orders: list[list[int] | None] = [self._order(c) for c in range(len(COLUMNS))]

    @staticmethod
    def _reasons(item: ReviewItem) -> tuple[object, ...]:
        given = () if item.reason is None else (item.reason,)
        return (*given, NO_REASON) if item.missed and item.analysis.reason is None else given

    def _order(self, column: int) -> list[int]:
        items, names = self.items, self.names
        keys = [sort_key(item, column, names) for item in items]
        return sorted(range(len(items)), key=keys.__getitem__)  # type: ignore[arg-type]

    def values(self, dimension: str) -> list[str]:
        """The values of a filter that occur, sorted."""
        return sorted(str(v) for v in self.masks[dimension] if v is not None)

    def order(self, column: int) -> Sequence[int]:
        """Rows in ascending order of ``column`` (-1: the order sat)."""
        if column < 0:
            return range(self.size)
        order = self._orders[column]
        if order is None:
            order = self._orders[column] = self._order(column)
        return order

    def mask(self, c: ReviewCriteria) -> int:
        """The rows that pass every filter, as a mask."""
        chosen = self.all
        for dimension, value in (
            ("result", c.result),
            ("pattern", c.pattern),
            ("reason", c.reason),
            ("discipline", c.discipline),
            ("system", c.system),
            ("pack", c.pack),
        ):
            if value != ANY:
                chosen &= self.masks[dimension].get(value, 0)
        if c.since is not None or c.until is not None:
            low, high = c.since or date.min, c.until or date.max
            dates = 0
            for day, rows in self.masks["date"].items():
                if isinstance(day, date) and low <= day <= high:
                    dates |= rows
            chosen &= dates
        return chosen

    def select(self, c: ReviewCriteria, column: int = -1, descending: bool = False) -> list[int]:
        """The rows that pass ``c``, sorted by ``column``."""
        flags = self.mask(c).to_bytes(self.size, "big")
        order = self.order(column)
        if column < 0 and not descending:
            return list(compress(range(self.size), flags))
        rows = list(compress(order, map(flags.__getitem__, order)))
        if descending:
            rows.reverse()
        return rows

    def replace(self, row: int, item: ReviewItem) -> None:
        """Row ``row`` changed (a reason was given): its masks and the Reason order follow."""
        old, self.items[row] = self.items[row], item
        bit = 1 << (8 * (self.size - 1 - row))
        reasons = self.masks["reason"]
        for value in self._reasons(old):
            reasons[value] &= ~bit
        for value in self._reasons(item):
            reasons[value] = reasons.get(value, 0) | bit
        self._orders[REASON_COLUMN] = None  # sorted again when next asked for

    def find(self, session_id: int, position: int) -> int | None:
        """The row of an item, if listed."""
        for row, item in enumerate(self.items):
            if item.session_id == session_id and item.position == position:
                return row
        return None
