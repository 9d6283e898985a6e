"""A block sat on a store that fails under it, in its own process (tests/storage/test_faults.py).

Run: ``python -m tests.fault_driver FAULT DATA_DIR`` where FAULT is

* ``full-tmpfs``: DATA_DIR is a small tmpfs (the test mounts it in a private mount namespace); the disk is
  filled up mid-block with a filler file, then the filler is deleted;
* ``full-rlimit``: the process may not grow any file past its present size (``RLIMIT_FSIZE``, with SIGXFSZ
  ignored, so the write fails instead of killing the process), then the limit is lifted;
* ``read-only``: mid-block the data folder becomes read-only (a read-only bind mount when root, who ignores
  file modes; ``chmod`` otherwise), then writable again.

It sits the block through the real window (offscreen Qt) on the real store, and prints one JSON object:
what the screen said, what the block showed, and what the store held at each step.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FILLER = "filler.bin"
PRIVATE_MOUNTS = "BLOCKSIM_PRIVATE_MOUNTS"
MAX_PUSHES = 5000


def _fill(folder: Path) -> None:
    """Fill the file system of ``folder`` to the last byte (unbuffered: each write meets the full disk)."""
    handle = os.open(folder / FILLER, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for size in (1 << 16, 1):
            try:
                while True:
                    os.write(handle, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(handle)


def _faults(fault: str, folder: Path, dispose: Callable[[], None]) -> tuple[Callable[[], None], Callable[[], None]]:
    """(break the store, mend it) for ``fault``."""
    if fault == "full-tmpfs":
        return (lambda: _fill(folder)), (lambda: (folder / FILLER).unlink())
    if fault == "full-rlimit":
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

        def limit() -> None:
            biggest = max(p.stat().st_size for p in folder.iterdir() if p.is_file())
            resource.setrlimit(resource.RLIMIT_FSIZE, (biggest, resource.RLIM_INFINITY))

        def lift() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))

        return limit, lift
    if os.geteuid() == 0:  # root ignores modes: a read-only bind mount (the test runs us under unshare -m)
        if os.environ.get(PRIVATE_MOUNTS) != "1":
            raise SystemExit(f"as root, run under unshare -m with {PRIVATE_MOUNTS}=1 (the mounts must stay private)")

        def remount(mode: str) -> None:
            dispose()  # a mount cannot turn read-only under files open for writing
            subprocess.run(["mount", "-o", f"remount,{mode},bind", str(folder)], check=True)

        subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
        return (lambda: remount("ro")), (lambda: remount("rw"))
    files = [p for p in folder.iterdir() if p.is_file()]

    def chmod(writable: bool) -> None:
        dispose()  # modes are checked when a file is opened: the store's next connection meets them
        for path in [*files, folder]:
            mode = path.stat().st_mode
            path.chmod(mode | stat.S_IWUSR if writable else mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))

    return (lambda: chmod(False)), (lambda: chmod(True))


def main(fault: str, data_dir: str) -> int:
    """Sit a block, break the store, act, tick and end, mend it, act again; print what happened."""
    from PySide6.QtWidgets import QApplication

    from app.bootstrap import build
    from app.core.clock import FakeClock
    from app.core.errors import StoreError
    from app.core.preferences import Preferences
    from app.core.selection import BlockFilter
    from app.services.blocks import BlockRequest
    from app.ui.main_window import MainWindow
    from app.ui.widgets import dialogs
    from tests.factories import pack_dict, write_pack

    folder = Path(data_dir)
    app = QApplication(sys.argv[:1])
    clock = FakeClock()
    services = build(folder, import_bundled=False, clock=clock)
    services.packs.import_path(write_pack(folder.parent / "pack", pack_dict(8)))
    errors: list[str] = []
    dialogs.show_error = lambda _parent, title, text: errors.append(f"{title}: {text}")  # type: ignore[assignment]
    window = MainWindow(services, Preferences())
    window.flow.start_block(BlockRequest(BlockFilter(), size=4, minutes=1, seed=3))
    screen = window.screens.block
    controller = screen.controller
    assert controller is not None
    runner = controller.runner
    controller.select("A")
    report: dict[str, Any] = {"answered_before": runner.block.item(0).answer}
    break_store, mend_store = _faults(fault, folder, services.store.engine.dispose)
    break_store()
    # Writes go on into space the store already holds (a log copied at the block's start is reused):
    # mark and unmark until the store needs more room than there is.
    report["saved_after_fault"] = 0
    while screen.save_banner.isHidden() and report["saved_after_fault"] < MAX_PUSHES:
        controller.toggle_mark()
        report["saved_after_fault"] += 1
    report["marked_shown"] = runner.block.item(0).marked
    controller.step(1)
    controller.select("B")
    report["banner_shown"] = not screen.save_banner.isHidden()
    report["banner"] = screen.save_banner.text()
    report["item_shown"] = controller.position
    report["answers_shown"] = [item.answer for item in runner.block.items()]
    report["navigator_answered"] = [
        bool(screen.navigator_model.data(screen.navigator_model.index(i), screen.navigator_model.AnsweredRole))
        for i in range(4)
    ]
    remaining = runner.block.remaining() or 0.0
    clock.advance(5)
    controller.tick()
    report["clock_moved"] = remaining - (runner.block.remaining() or 0.0)
    report["banner_after_tick"] = screen.save_banner.text()
    controller.end_block()
    report["ended_while_broken"] = runner.block.ended
    report["screen_after_end"] = window.stack.currentWidget() is screen
    report["banner_after_end"] = screen.save_banner.text()
    try:
        build(folder, import_bundled=False, clock=FakeClock()).close()
        report["reopen_refusal"] = None
    except StoreError as exc:
        report["reopen_refusal"] = str(exc)

    mend_store()
    controller.step(1)
    controller.select("B")
    report["retry_answers"] = [item.answer for item in runner.block.items()]
    report["banner_after_retry"] = not screen.save_banner.isHidden()

    break_store()
    for _ in range(140):  # 0:00 passes while nothing can be written: the end waits for the disk
        clock.advance(0.5)
        controller.tick()
    report["expired_while_broken"] = runner.block.is_expired()
    report["ended_at_expiry_while_broken"] = runner.block.ended
    controller.select("C")
    report["refused_after_expiry"] = screen.status_label.text()
    mend_store()
    controller.tick()  # the end at 0:00 is stored now
    report["ended_after_mend"] = runner.block.ended
    report["errors"] = list(errors)
    window.close()
    services.close()
    reopened = build(folder, import_bundled=False, clock=FakeClock())
    try:
        events = reopened.store.events(runner.session_id)
        report["stored_marked"] = reopened.blocks.open(runner.session_id).block.item(0).marked
        report["stored_end"] = events[-1].elapsed if events[-1].kind.value == "block_ended" else None
        report["stored_answers"] = [i.answer for i in reopened.blocks.open(runner.session_id).block.items()]
    finally:
        reopened.close()
    print(json.dumps(report))
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
