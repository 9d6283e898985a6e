"""Every screen fits a 1024×700 window: nothing forces the main window wider or taller than that."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.clock import FakeClock
from app.core.preferences import Preferences
from app.ui.main_window import MainWindow
from tests.ui.test_analytics_screen import loaded, sit

SMALL = (1024, 700)


def test_every_screen_fits_1024_by_700(qtbot: QtBot, services: Services, clock: FakeClock) -> None:
    session = sit(services, clock, [("A", 20), ("B", 70), ("C", 40)])
    window = MainWindow(services, Preferences())
    qtbot.addWidget(window)
    window.resize(*SMALL)
    window.show()
    window.nav.analytics("session", session)  # the dashboard with its charts drawn
    loaded(qtbot, window.screens.analytics)
    window.nav.review(session)
    too_big = {}
    for screen in window.screens.all():
        window.nav.show(screen)
        QApplication.processEvents()
        hint = window.minimumSizeHint()
        if hint.width() > SMALL[0] or hint.height() > SMALL[1]:
            too_big[screen.objectName() or type(screen).__name__] = hint.toTuple()
    window.screens.analytics.cancel()
    window.worker.waitForDone(5000)
    assert too_big == {}
