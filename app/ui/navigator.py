"""Which screen comes next: the one home of navigation between screens.

Screens never switch screens themselves: they emit intent signals (``home_requested``,
``review_requested(session_id)``, ...) that :meth:`MainWindow._connect_signals` connects to the
methods here. Before a screen is left, the ``guard`` (the session flow's ``leave``) puts a running
block or day aside, or refuses when the candidate chooses to stay. A new screen adds a factory and an
attribute to :class:`Screens` (which builds it on first use) and one method here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar, cast, overload

from PySide6.QtCore import QObject, QThreadPool
from PySide6.QtWidgets import QStackedWidget, QWidget

from app.bootstrap import Services
from app.core.errors import BlocksimError
from app.core.exam_day import DayPreset, load_user_presets, official_presets
from app.services.dashboard import DashboardQuery
from app.ui.screens.home_rows import HomeRows
from app.ui.widgets.focus_chain import tab_leaves_views

if TYPE_CHECKING:
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
    from app.ui.screens.home_screen import HomeScreen
    from app.ui.screens.results_screen import ResultsScreen

W = TypeVar("W", bound=QWidget)


@dataclass(frozen=True)
class _Parts:
    """What the screens are built from."""

    services: Services
    parent: QWidget
    worker: QThreadPool


# One factory per screen, in stacking order. Each imports its screen's module itself, so what a screen
# needs (the charts' QtCharts for the dashboard, say) loads only when that screen is first asked for.
def _home(parts: _Parts) -> QWidget:
    from app.ui.screens.home_screen import HomeScreen

    return HomeScreen(parts.services.blocks.category_counts, parts.parent)


def _block(parts: _Parts) -> QWidget:
    from app.core.reference_data import lab_values, shortcuts
    from app.ui.screens.block_screen import BlockScreen

    return BlockScreen(shortcuts(), lab_values(), parts.services.store.media, parts.parent)


def _results(parts: _Parts) -> QWidget:
    from app.ui.screens.results_screen import ResultsScreen

    return ResultsScreen(parts.services.store.media, parts.parent, parts.services.analysis.set_reason)


def _day_setup(parts: _Parts) -> QWidget:
    from app.ui.screens.day_screens import DaySetupScreen

    return DaySetupScreen(day_presets(parts.services), parts.services.days.available, parts.parent)


def _between(parts: _Parts) -> QWidget:
    from app.ui.screens.day_screens import BetweenBlocksScreen

    return BetweenBlocksScreen(parts.parent)


def _break(parts: _Parts) -> QWidget:
    from app.ui.screens.day_screens import BreakScreen

    return BreakScreen(parts.parent)


def _tutorial(parts: _Parts) -> QWidget:
    from app.core.reference_data import practice_question, shortcuts
    from app.ui.screens.day_screens import TutorialScreen

    return TutorialScreen(shortcuts(), practice_question(), parts.parent)


def _day_summary(parts: _Parts) -> QWidget:
    from app.ui.screens.day_screens import DaySummaryScreen

    return DaySummaryScreen(parts.parent)


def _analytics(parts: _Parts) -> QWidget:
    from app.ui.screens.analytics_screen import AnalyticsScreen

    dashboard = parts.services.dashboard
    return AnalyticsScreen(lambda query, progress: dashboard.load(query, progress.step), parts.worker, parts.parent)


def _history_review(parts: _Parts) -> QWidget:
    from app.services.item_review import ItemReviewService
    from app.ui.screens.history_review_screen import HistoryReviewScreen

    services = parts.services
    items = ItemReviewService(services.store, services.analysis)
    return HistoryReviewScreen(
        lambda query, progress: items.load(query, progress.step),
        services.blocks.review,
        services.analysis.set_reason,
        services.store.media,
        parts.worker,
        parts.parent,
    )


_FACTORIES: dict[str, Callable[[_Parts], QWidget]] = {
    "home": _home,
    "block": _block,
    "results": _results,
    "day_setup": _day_setup,
    "between": _between,
    "break_": _break,
    "tutorial": _tutorial,
    "day_summary": _day_summary,
    "analytics": _analytics,
    "history_review": _history_review,
}


class _Screen(Generic[W]):
    """One screen of :class:`Screens`, built the first time it is asked for."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, screens: None, owner: type) -> _Screen[W]: ...
    @overload
    def __get__(self, screens: Screens, owner: type) -> W: ...
    def __get__(self, screens: Screens | None, owner: type) -> _Screen[W] | W:
        if screens is None:
            return self
        return cast(W, screens.get(self.name))


class Screens:
    """Every screen of the main window, each built once: the first time it is asked for.

    Only the home screen is built with the window; the others wait for their first use (and their modules
    are imported then), so start-up pays for what it shows. A screen built goes into the stack and gets the
    wiring registered for it with :meth:`when_built`.
    """

    home: _Screen[HomeScreen] = _Screen()
    block: _Screen[BlockScreen] = _Screen()
    results: _Screen[ResultsScreen] = _Screen()
    day_setup: _Screen[DaySetupScreen] = _Screen()
    between: _Screen[BetweenBlocksScreen] = _Screen()
    break_: _Screen[BreakScreen] = _Screen()
    tutorial: _Screen[TutorialScreen] = _Screen()
    day_summary: _Screen[DaySummaryScreen] = _Screen()
    analytics: _Screen[AnalyticsScreen] = _Screen()
    history_review: _Screen[HistoryReviewScreen] = _Screen()

    def __init__(self, services: Services, parent: QWidget, worker: QThreadPool, stack: QStackedWidget) -> None:
        """The screens, wired to the services they read from (never to each other); slow reads go to ``worker``."""
        self._parts = _Parts(services, parent, worker)
        self._stack = stack
        self._built: dict[str, QWidget] = {}
        self._wiring: dict[str, list[Callable[[QWidget], None]]] = {name: [] for name in _FACTORIES}

    def get(self, name: str) -> QWidget:
        """The screen called ``name`` (an attribute name), built now if it was not yet."""
        screen = self._built.get(name)
        if screen is None:
            screen = self._built[name] = _FACTORIES[name](self._parts)
            tab_leaves_views(screen)
            self._stack.addWidget(screen)
            for wire in self._wiring[name]:
                wire(screen)
        return screen

    def built(self, name: str) -> QWidget | None:
        """The screen called ``name`` if it was built (asking builds nothing)."""
        return self._built.get(name)

    def when_built(self, name: str, wire: Callable[[QWidget], None]) -> None:
        """Call ``wire`` with the screen ``name`` once it is built (at once if it already is)."""
        self._wiring[name].append(wire)
        screen = self._built.get(name)
        if screen is not None:
            wire(screen)

    def all(self) -> list[QWidget]:
        """Every screen (building those not built yet), in their declared order."""
        return [self.get(name) for name in _FACTORIES]


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
