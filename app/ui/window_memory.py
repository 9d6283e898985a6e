"""What the main window remembers across restarts: its size and place, and the block builder's last settings.

Both live in the preferences file (``app/core/preferences.py``), written atomically, beside the zoom and theme
the window already keeps there; everyone shares the one :class:`Preferences` object, so no save drops
another's field.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow

from app.core.preferences import Preferences, save_preferences
from app.ui.screens.home_screen import HomeScreen


class WindowMemory:
    """Saves and restores the window geometry and the home screen's block setup."""

    def __init__(self, window: QMainWindow, home: HomeScreen, data_dir: Path, preferences: Preferences) -> None:
        self.window = window
        self.home = home
        self.data_dir = data_dir
        self.preferences = preferences

    def restore_setup(self) -> None:
        """Put the last block's settings back into the builder."""
        self.home.apply_setup(self.preferences.block_setup)

    def remember_setup(self, _request: object = None) -> None:
        """A block was started from the builder: its settings are the ones to offer next time."""
        self.preferences.block_setup = self.home.setup()
        save_preferences(self.data_dir, self.preferences)

    def restore_geometry(self) -> bool:
        """The saved size and place (Qt moves a window whose screen is gone onto one that is there).

        True if a saved geometry was applied.
        """
        saved = self.preferences.window_geometry
        if not saved:
            return False
        return self.window.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))

    def remember_geometry(self) -> None:
        """Save the window's size and place (on closing)."""
        geometry = bytes(self.window.saveGeometry().toBase64().data()).decode("ascii")
        if geometry != self.preferences.window_geometry:
            self.preferences.window_geometry = geometry
            save_preferences(self.data_dir, self.preferences)
