"""Which screen comes next: the one home of navigation between screens.

Screens never switch screens themselves: they emit intent signals (``home_requested``,
``review_requested(session_id)``, ...) that :meth:`MainWindow._connect_signals` connects to the
methods here. Before a screen is left, the ``guard`` (the session flow's ``leave``) puts a running
block or day aside, or refuses when the candidate chooses to stay. A new screen adds its widget to
:class:`Screens` and one method here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

from PySide6.QtCore import QObject, QThreadPool
from PySide6.QtWidgets import QStackedWidget, QWidget

from app.bootstrap import Services
from app.core.errors import BlocksimError
from app.core.exam_day import DayPreset, load_user_presets, official_presets
from app.core.reference_data import lab_values, practice_question, shortcuts
from app.services.dashboard import DashboardQuery
from app.services.item_review import ItemReviewService
from app.ui.screens.analytics_screen import AnalyticsScreen
from app.ui.screens.block_screen import BlockScreen
from app.ui.screens.day_screens import (
    BetweenBlocksScreen,
    BreakScreen,
    DaySetupScreen,
    DaySummaryScreen,
    TutorialScreen,
)
from app.ui.screens.history_review_screen import HistoryReviewScreen
from app.ui.screens.home_rows import HomeRows
from app.ui.screens.home_screen import HomeScreen
from app.ui.screens.results_screen import ResultsScreen
from app.ui.widgets.focus_chain import tab_leaves_views


@dataclass(frozen=True)
class Screens:
    """Every screen of the main window, built once."""

    home: HomeScreen
    block: BlockScreen
    results: ResultsScreen
    day_setup: DaySetupScreen
    between: BetweenBlocksScreen
    break_: BreakScreen
    tutorial: TutorialScreen
    day_summary: DaySummaryScreen
    analytics: AnalyticsScreen
    history_review: HistoryReviewScreen

    @classmethod
    def build(cls, services: Services, parent: QWidget, worker: QThreadPool) -> Screens:
        """The screens, wired to the services they read from (never to each other); slow reads go to ``worker``."""
        items = ItemReviewService(services.store, services.analysis)
        screens = cls(
            home=HomeScreen(services.blocks.category_counts, parent),
            block=BlockScreen(shortcuts(), lab_values(), services.store.media, parent),
            results=ResultsScreen(services.store.media, parent, services.analysis.set_reason),
            day_setup=DaySetupScreen(day_presets(services), services.days.available, parent),
            between=BetweenBlocksScreen(parent),
            break_=BreakScreen(parent),
            tutorial=TutorialScreen(shortcuts(), practice_question(), parent),
            day_summary=DaySummaryScreen(parent),
            analytics=AnalyticsScreen(
                lambda query, progress: services.dashboard.load(query, progress.step), worker, parent
            ),
            history_review=HistoryReviewScreen(
                lambda query, progress: items.load(query, progress.step),
                services.blocks.review,
                services.analysis.set_reason,
                services.store.media,
                worker,
                parent,
            ),
        )
        for screen in screens.all():
            tab_leaves_views(screen)
        return screens

    def all(self) -> list[QWidget]:
        """In stacking order."""
        return [getattr(self, f.name) for f in fields(self)]


def day_presets(services: Services) -> list[DayPreset]:
    """The official formats, then the user's saved custom days."""
    return [*official_presets().presets, *load_user_presets(services.data_dir).presets]


class Navigator(QObject):
    """Shows screens in the stacked widget and knows what each destination needs first."""

    def __init__(self, stack: QStackedWidget, screens: Screens, services: Services) -> None:
        super().__init__(stack)
        self.stack = stack
        self.screens = screens
        self.services = services
        self.home_rows = HomeRows(services)
        self.guard: Callable[[], bool] = lambda: True
        """Called before a running session's screen is left; False keeps the candidate where they are."""
        self.shown_packs: tuple[tuple[str, str, str], ...] = ()
        self._review_from_day: int | None = None
        self._history_from: QWidget | None = None
        for screen in screens.all():
            stack.addWidget(screen)

    def current(self) -> QWidget | None:
        """The screen on show."""
        return self.stack.currentWidget()

    def show(self, screen: QWidget) -> None:
        """Put ``screen`` in front (no guard: for the session flow's own steps)."""
        self.stack.setCurrentWidget(screen)

    # -- destinations -----------------------------------------------------------------------
    def home(self) -> None:
        """The home screen, with packs and history read afresh."""
        if self.guard():
            self.refresh_home()
            self.show(self.screens.home)

    def refresh_home(self) -> None:
        """Reload packs, blocks and days into the home screen."""
        self.shown_packs = self.services.store.packs_signature()
        self.screens.home.set_packs(self.services.store.packs())
        self.screens.home.set_sessions(self.home_rows.rows())

    def home_is_stale(self) -> bool:
        """Whether another process imported packs since the home screen was filled."""
        return self.current() is self.screens.home and self.services.store.packs_signature() != self.shown_packs

    def day_setup(self) -> None:
        """The exam day setup screen."""
        if self.guard():
            self.screens.day_setup.set_packs(self.services.store.packs())
            self.show(self.screens.day_setup)

    def presets_changed(self, select: str | None = None) -> None:
        """A custom day was saved: offer it on the setup screen."""
        self.screens.day_setup.set_presets(day_presets(self.services), select=select)

    def review(self, session_id: int) -> None:
        """A block's results and item review ("Back to Home" leads home)."""
        self._review_from_day = None
        self.screens.results.set_back_label("Back to Home")
        try:
            analysed = self.services.analysis.session(session_id).items
        except BlocksimError:  # a block whose analysis fails still shows its results
            analysed = ()
        self.screens.results.show_review(self.services.blocks.review(session_id), analysed)
        self.show(self.screens.results)

    def review_day_block(self, session_id: int) -> None:
        """A block of the day on show, reviewed from its summary: "Back to Day Summary" returns there."""
        day_id = self.screens.day_summary.day_id
        self.review(session_id)
        if day_id is not None:
            self._review_from_day = day_id
            self.screens.results.set_back_label("Back to Day Summary")

    def leave_review(self) -> None:
        """The results screen's back button: to the day summary it came from, or home."""
        day_id = self._review_from_day
        self._review_from_day = None
        if day_id is not None:
            self.day_summary(day_id)
        else:
            self.home()

    def analytics(self, scope: str = "all", target: int | None = None) -> None:
        """The analytics dashboard of a block ("session"), a day ("day") or all history; it loads on the worker."""
        if self.guard():
            self.screens.analytics.set_packs(self.services.store.packs())
            self.show(self.screens.analytics)
            self.screens.analytics.show_scope(scope, target)

    def day_summary(self, day_id: int) -> None:
        """A finished day's summary."""
        self.screens.day_summary.show_summary(self.services.days.open(day_id).summary())
        self.show(self.screens.day_summary)

    def history_review(self, query: DashboardQuery) -> None:
        """Review the items of a block, a day or the history ("Back" returns where it was opened from)."""
        if not self.guard():
            return
        current = self.current()
        if current is not self.screens.history_review and current is not self.screens.block:
            self._history_from = current
        self.screens.history_review.load(query)
        self.show(self.screens.history_review)
        self.screens.history_review.table.setFocus()

    def leave_history_review(self) -> None:
        """The review screen's back button."""
        back, self._history_from = self._history_from, None
        self.screens.history_review.cancel()
        if back is None or back is self.screens.home:
            self.home()
        else:
            self.show(back)
