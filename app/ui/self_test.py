"""``blocksim --self-test``: does this installation work? One line per check, exit 0 when all pass.

It opens a store in a temporary folder, imports the bundled packs, renders every screen of the main window
offscreen, and sits and ends a two-item block (one answer right, one wrong), the way a user would through
the block screen's controller. Built for the frozen bundle and an installed wheel, where the test suite is
not at hand; CI runs it on the bundle it built.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase, QImage
from PySide6.QtWidgets import QApplication, QWidget

from app import __version__, paths
from app.bootstrap import Services, build
from app.core.block import Mode
from app.core.exam_day import official_presets
from app.core.outline import default_outline
from app.core.pack_reader import peek_identity
from app.core.preferences import Preferences
from app.core.reference_data import lab_values, shortcuts
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.services.packs import bundled_pack_paths
from app.ui.desktop import GENERIC_FAMILIES, make_application
from app.ui.main_window import MainWindow

Check = Callable[[], str]
"""A check returns what it saw (printed after ``ok``) or raises to fail."""


class _DialogGuard:
    """Closes any modal dialog that opens (it would wait for a click that never comes) and remembers it."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._timer = QTimer()
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._close)
        self._timer.start()

    def _close(self) -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None:
            self.seen.append(widget.windowTitle() or type(widget).__name__)
            widget.close()

    def stop(self) -> None:
        self._timer.stop()


def _render(widget: QWidget) -> str:
    image = widget.grab().toImage()
    if image.isNull() or image.width() == 0 or image.height() == 0:
        raise AssertionError("rendered nothing")
    return f"{image.width()}x{image.height()}"


class SelfTest:
    """The checks, in order; later ones use what earlier ones built."""

    def __init__(self, folder: Path, out: Callable[[str], None]) -> None:
        self.folder = folder
        self.out = out
        self.failures = 0
        self.services: Services | None = None
        self.window: MainWindow | None = None

    def check(self, name: str, check: Check) -> bool:
        """Run one check and print its line."""
        try:
            detail = check()
        except Exception as exc:  # a self-test reports every failure and goes on
            self.failures += 1
            self.out(f"FAIL {name}: {type(exc).__name__}: {exc}")
            return False
        self.out(f"ok   {name}: {detail}")
        return True

    def _store(self) -> str:
        self.services = build(self.folder, import_bundled=False)
        return f"opened {self.services.data_dir / 'blocksim.db'}"

    def _resources(self) -> str:
        outline = default_outline()
        presets = official_presets().presets
        return (
            f"{len(shortcuts().shortcuts)} shortcuts, {len(lab_values().values)} lab values, "
            f"{len(presets)} day presets, outline of {len(outline.disciplines)} disciplines ({paths.resources_dir()})"
        )

    def _packs(self) -> str:
        assert self.services is not None
        folder = paths.bundled_packs_dir()
        expected = len(bundled_pack_paths(folder))
        if expected == 0:
            raise AssertionError(f"no bundled packs in {folder}")
        bundled = self.services.packs.import_bundled(folder)
        if bundled.problems:
            raise AssertionError("; ".join(bundled.problems[:3]))
        packs = self.services.store.packs()
        if len(packs) != expected:
            raise AssertionError(f"{len(packs)} of {expected} packs imported")
        return f"{len(packs)} packs, {sum(p.question_count for p in packs)} questions"

    def _font(self) -> str:
        families = QFontDatabase.families()
        if not set(families) - GENERIC_FAMILIES:
            raise AssertionError("no font at all: every label would be boxes")
        return f"{QApplication.font().family()} ({len(families)} families)"

    def _main_window(self) -> str:
        assert self.services is not None
        self.window = MainWindow(self.services, Preferences())
        self.window.show()
        return f"{len(self.window.screens.all())} screens"

    def _screen(self, index: int) -> Check:
        def render() -> str:
            assert self.window is not None
            self.window.nav.show(self.window.screens.all()[index])
            return _render(self.window)

        return render

    def _image_packs(self) -> frozenset[str]:
        """The bundled packs with images (a block from them shows and decodes images too)."""
        ids = set()
        for path in bundled_pack_paths(paths.bundled_packs_dir()):
            identity = peek_identity(path)
            if identity is not None and (path / "media").is_dir():
                ids.add(identity[0])
        return frozenset(ids)

    def _block(self) -> str:
        assert self.services is not None
        assert self.window is not None
        window = self.window
        block_filter = BlockFilter(packs=self._image_packs())
        window.flow.start_block(BlockRequest(block_filter=block_filter, size=2, minutes=5, mode=Mode.TIMED, seed=14))
        controller = window.screens.block.controller
        if controller is None or window.stack.currentWidget() is not window.screens.block:
            raise AssertionError("the block did not start")
        _render(window)
        runner = controller.runner
        images = 0
        for stored in runner.questions:
            for media in stored.question.media:
                data = self.services.store.media(stored.pack_id, media.file)
                if not data or QImage.fromData(data).isNull():
                    raise AssertionError(f"image {stored.pack_id}/{media.file} does not decode")
                images += 1
        first, second = (stored.question for stored in runner.questions)
        controller.select(first.answer)
        controller.step(1)
        controller.select(next(o.label for o in second.options if o.label != second.answer))
        controller.end_block()
        if window.stack.currentWidget() is not window.screens.results:
            raise AssertionError("ending the block did not show the results")
        review = self.services.blocks.review(runner.session_id)
        if (review.score.correct, review.score.total) != (1, 2):
            raise AssertionError(f"scored {review.score.correct}/{review.score.total}, expected 1/2")
        return (
            f"sat and ended session {runner.session_id} ({images} image(s) decoded): 1/2 correct, "
            f"results {_render(window)}"
        )

    def run(self) -> int:
        """Every check; the number of failures."""
        guard = _DialogGuard()
        try:
            self.check("resources", self._resources)
            if self.check("store", self._store) and self.check("bundled packs", self._packs):
                self.check("font", self._font)
                if self.check("main window", self._main_window):
                    assert self.window is not None
                    for index, screen in enumerate(self.window.screens.all()):
                        name = type(screen).__name__
                        self.check(f"screen {index} {name}", self._screen(index))
                    self.check("two-item block", self._block)
            if guard.seen:
                self.failures += 1
                self.out(f"FAIL dialogs: unexpected {', '.join(guard.seen)}")
        finally:
            guard.stop()
            if self.window is not None:
                self.window.close()
                self.window.deleteLater()
            if self.services is not None:
                self.services.close()
        return self.failures


def run_self_test(out: Callable[[str], None] = print) -> int:
    """Run every check in a temporary data folder; 0 when all pass, 1 otherwise."""
    app = make_application()
    out(f"Blocksim {__version__} self-test (Python {sys.version.split()[0]}, Qt platform {app.platformName()})")
    with tempfile.TemporaryDirectory(prefix="blocksim-self-test-") as folder:
        failures = SelfTest(Path(folder), out).run()
        app.processEvents()
    out("self-test passed" if failures == 0 else f"self-test FAILED: {failures} check(s)")
    return 0 if failures == 0 else 1
