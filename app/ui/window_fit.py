"""The main window against its screen: whether its minimum size, in the look applied, fits the screen's room.

The zoom asks before each step (:class:`~app.ui.appearance.Appearance` refuses a step that does not fit); a saved zoom
too large steps down at the window's first show (a hidden window has no layout to measure), and again when a screen
built later, on first use, does not fit.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize
from PySide6.QtWidgets import QLayout, QMainWindow, QWidget

from app.ui.appearance import Appearance, Look


class WindowFit(QObject):
    """Measures ``window`` against its screen; :meth:`follow` makes an :class:`Appearance` keep it fitting."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.appearance: Appearance | None = None
        self.measured = False
        """Whether the window was measured at its first show."""

    def follow(self, appearance: Appearance) -> None:
        """Measure again after each look, and step ``appearance``'s zoom down at the first show if it must."""
        self.appearance = appearance
        appearance.changed.connect(self.remeasure)
        self.window.installEventFilter(self)

    def available_size(self) -> QSize:
        """The room the window's screen gives windows (its size less the task bars)."""
        return self.window.screen().availableGeometry().size()

    def remeasure(self, _look: Look | None = None) -> None:
        """Measure every screen again in the look just applied: hidden screens keep their old sizes otherwise,
        and the window's minimum size (the largest screen's) would stay that of the previous zoom."""
        self.window.ensurePolished()  # screens never shown yet take the look too
        for layout in self.window.findChildren(QLayout):
            layout.invalidate()

    def fits(self) -> bool:
        """True when the window's minimum size, in the look applied, fits its screen's available room."""
        self.remeasure()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # minimum sizes in the new look
        room, needed = self.available_size(), self.window.minimumSizeHint()
        return needed.width() <= room.width() and needed.height() <= room.height()

    def screen_built(self, _screen: QWidget) -> None:
        """A screen built on first use, at a zoom chosen while it did not exist, may not fit: step down then."""
        if self.measured and self.appearance is not None:
            self.appearance.shrink_to_fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """At the first show, a saved zoom too large for this screen steps down (:meth:`Appearance.shrink_to_fit`)."""
        if watched is self.window and event.type() == QEvent.Type.Show and not self.measured:
            self.measured = True
            if self.appearance is not None:
                self.appearance.shrink_to_fit()
        return False
