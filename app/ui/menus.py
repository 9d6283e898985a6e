"""The menu bar, built from one table: each entry is a QAction whose keys come from ``shortcuts.json``.

A menu named ``"&View/&Theme"`` is a submenu; entries that share a ``group`` are exclusive (radio) choices.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QWidget

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
    group: str | None = None
    everywhere: bool = False
    """The shortcut works in every window of the application (lab values, viewer), not only the main one."""


def build_menus(bar: QMenuBar, owner: QWidget, entries: list[MenuEntry], keys: Shortcuts) -> dict[str, QAction]:
    """Add every entry to ``bar`` (menus in first-seen order) and return the actions by name."""
    menus: dict[str, QMenu] = {}
    groups: dict[str, QActionGroup] = {}
    actions: dict[str, QAction] = {}
    for entry in entries:
        menu = _menu(bar, menus, entry.menu)
        action = QAction(entry.text, owner)
        if entry.shortcut_id is not None:
            action.setShortcuts([QKeySequence(k) for k in keys.get(entry.shortcut_id).keys])
        if entry.everywhere:
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.setCheckable(entry.checkable or entry.group is not None)
        if entry.group is not None:
            group = groups.get(entry.group)
            if group is None:
                group = groups[entry.group] = QActionGroup(owner)
            group.addAction(action)
        action.triggered.connect(entry.slot)
        menu.addAction(action)
        actions[entry.name] = action
    return actions


class DialogShortcuts(QObject):
    """Makes the ``everywhere`` actions (zoom, light/dark) work in every dialog of the application too.

    An application shortcut of the main window does not fire while a modal dialog shadows that window
    (lab values, image viewer, leave-block question, file dialogs...). So each window opened over the
    owner is given the actions when it takes the focus: they are then the dialog's own shortcuts as well.
    """

    def __init__(self, app: QApplication, actions: list[QAction], owner: QWidget) -> None:
        super().__init__(owner)
        self._owner = owner
        self._actions = actions
        app.focusChanged.connect(self._focus_changed)

    def share_with(self, window: QWidget) -> None:
        """Give ``window``, one of the owner's dialogs, the shortcuts (Qt keeps one of each when given twice)."""
        if window is not self._owner and self._owns(window):
            window.addActions(self._actions)

    def _owns(self, window: QWidget) -> bool:
        """True when ``window`` was opened over the owner (its parent, or its parent's parent...)."""
        parent = window.parentWidget()
        while parent is not None and parent is not self._owner:
            parent = parent.parentWidget()
        return parent is self._owner

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is not None:
            self.share_with(now.window())


def set_enabled(actions: Iterable[QAction], enabled: bool) -> None:
    """Enable or disable several actions at once (their shortcuts follow)."""
    for action in actions:
        action.setEnabled(enabled)


def _menu(bar: QMenuBar, menus: dict[str, QMenu], path: str) -> QMenu:
    """The menu at ``path`` ("&View" or "&View/&Theme"), made on first use."""
    menu = menus.get(path)
    if menu is None:
        parent, _, name = path.rpartition("/")
        menu = menus[path] = _menu(bar, menus, parent).addMenu(name) if parent else bar.addMenu(name)
    return menu
