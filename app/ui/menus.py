"""The menu bar, built from one table: each entry is a QAction whose keys come from ``shortcuts.json``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from app.core.reference_data import Shortcuts


@dataclass(frozen=True)
class MenuEntry:
    """One menu item: its menu, text, shortcut id (keys from ``shortcuts.json``) and slot."""

    name: str
    menu: str
    text: str
    shortcut_id: str | None
    slot: Callable[[], object]
    checkable: bool = False


def build_menus(bar: QMenuBar, owner: QWidget, entries: list[MenuEntry], keys: Shortcuts) -> dict[str, QAction]:
    """Add every entry to ``bar`` (menus in first-seen order) and return the actions by name."""
    menus: dict[str, QMenu] = {}
    actions: dict[str, QAction] = {}
    for entry in entries:
        menu = menus.get(entry.menu)
        if menu is None:
            menu = menus[entry.menu] = bar.addMenu(entry.menu)
        action = QAction(entry.text, owner)
        if entry.shortcut_id is not None:
            action.setShortcuts([QKeySequence(k) for k in keys.get(entry.shortcut_id).keys])
        action.setCheckable(entry.checkable)
        action.triggered.connect(entry.slot)
        menu.addAction(action)
        actions[entry.name] = action
    return actions


def set_enabled(actions: Iterable[QAction], enabled: bool) -> None:
    """Enable or disable several actions at once (their shortcuts follow)."""
    for action in actions:
        action.setEnabled(enabled)
