"""The look of the whole application: one theme and one zoom, applied to the ``QApplication``.

The app font and the stylesheet (whose sizes derive from the zoomed point size) reach every screen and
dialog at once; the few things a stylesheet cannot reach (the charts) follow :attr:`Appearance.changed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog

from app.core.preferences import FOLLOW_SYSTEM, MAX_ZOOM, MIN_ZOOM, Preferences, ThemeChoice
from app.ui.theme import Theme, load_theme, palette, stylesheet

BASE_POINT_SIZE = 11.0
"""The question text's size at zoom 0, in points."""
ZOOM_STEP = 1.5
"""Points added to the question text per zoom step; everything else scales in proportion."""


@dataclass(frozen=True)
class Look:
    """A theme at a zoom: what every screen is drawn in."""

    theme: Theme
    zoom: int
    system_points: float
    """The system's ordinary text size, which zoom 0 keeps."""

    @property
    def question_points(self) -> float:
        """The question text's size."""
        return BASE_POINT_SIZE + ZOOM_STEP * self.zoom

    @property
    def scale(self) -> float:
        """How much larger than at zoom 0 everything is drawn."""
        return self.question_points / BASE_POINT_SIZE

    @property
    def text_points(self) -> float:
        """The size of every other text: menus, buttons, tables, the top bar."""
        return round(self.system_points * self.scale, 1)


def rescale_dialogs(ratio: float) -> None:
    """Resize every open dialog with the zoom (as its text grows or shrinks), within its screen's room."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            room = widget.screen().availableGeometry().size()
            wanted = QSize(round(widget.width() * ratio), round(widget.height() * ratio))
            widget.resize(wanted.expandedTo(widget.minimumSizeHint()).boundedTo(room))


def system_is_dark() -> bool:
    """True when the system asks for a dark colour scheme (unknown counts as light)."""
    return QGuiApplication.styleHints().colorScheme() is Qt.ColorScheme.Dark


class Appearance(QObject):
    """Applies the preferences' theme and zoom to the application and remembers every change.

    Signals:
        changed(Look): the theme or the zoom changed (and was applied); charts redraw in it.
    """

    changed = Signal(object)
    refused = Signal(str)
    """A larger zoom was refused: the message says why (the window would not fit the screen)."""

    def __init__(
        self,
        app: QApplication,
        preferences: Preferences,
        save: Callable[[Preferences], None],
        parent: QObject,
        fits: Callable[[], bool] = lambda: True,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._preferences = preferences
        self._save = save
        self._fits = fits
        """True when the windows, in the look just applied, fit the screen."""
        self._system_points = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).pointSizeF()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        self.look = self._look()

    # -- what the menus call ----------------------------------------------------------------
    def set_theme(self, choice: ThemeChoice) -> None:
        """Light, dark, high contrast, or follow the system's colour scheme (live)."""
        self._preferences.theme = choice
        self._save(self._preferences)
        self.apply()

    def toggle_dark(self) -> None:
        """Light when the window is dark now, dark otherwise (Ctrl+Shift+D); an explicit choice."""
        self.set_theme("light" if self.look.theme.dark else "dark")

    def zoom(self, step: int) -> None:
        """Larger (+1), smaller (-1) or normal (0) everything, within the zoom limits."""
        before = self._preferences.zoom
        zoom = 0 if step == 0 else max(MIN_ZOOM, min(MAX_ZOOM, before + step))
        self._preferences.zoom = zoom
        self.apply()
        if zoom > before and zoom > 0 and not self._fits():
            # Larger than the screen allows: refuse the step rather than push the window off the screen.
            self._preferences.zoom = before
            self.apply()
            self.refused.emit(f"Zoom {zoom:+d} does not fit this screen; the text stays at zoom {before:+d}.")
            return
        if zoom != before:
            self._save(self._preferences)

    def shrink_to_fit(self) -> None:
        """At start: a saved zoom too large for this screen steps down until the window fits, and the status
        bar says so through :attr:`refused` (the smaller zoom is the one remembered from then on)."""
        wanted = self._preferences.zoom
        while self._preferences.zoom > min(0, wanted) and not self._fits():
            self._preferences.zoom -= 1
            self.apply()
        if self._preferences.zoom != wanted:
            self._save(self._preferences)
            shown = self._preferences.zoom
            self.refused.emit(f"Zoom {wanted:+d} does not fit this screen; the text is at zoom {shown:+d}.")

    def theme_choice(self) -> ThemeChoice:
        """The theme as chosen (``system`` included)."""
        return self._preferences.theme

    # -- applying -----------------------------------------------------------------------------
    def apply(self) -> None:
        """Font, palette and stylesheet of the application in the current look; then :attr:`changed`."""
        before = self.look.scale
        self.look = look = self._look()
        app = self._app
        font = app.font()
        font.setPointSizeF(look.text_points)
        sheet = stylesheet(
            look.theme, text_points=look.text_points, question_points=look.question_points, scale=look.scale
        )
        # Each of these repolishes every widget: only what changed is set again.
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        if app.palette() != palette(look.theme):
            app.setPalette(palette(look.theme))
        if app.font() != font:
            app.setFont(font)
        if app.styleSheet() != sheet:
            app.setStyleSheet(sheet)
        if look.scale != before:
            rescale_dialogs(look.scale / before)
        self.changed.emit(look)

    def _look(self) -> Look:
        choice = self._preferences.theme
        key = ("dark" if system_is_dark() else "light") if choice == FOLLOW_SYSTEM else choice
        return Look(load_theme(key), self._preferences.zoom, self._system_points)

    def _system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._preferences.theme == FOLLOW_SYSTEM:
            self.apply()
