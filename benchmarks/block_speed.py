"""Benchmark: time to show the next question (target p95 <= 16 ms, image items included) and time to
store an answer durably (target p99 <= 10 ms).  Run: python -m benchmarks.block_speed

Uses a temporary store with a 40-item pack (every fourth item carries a 1000x400 PNG exhibit) and the
real block screen, offscreen.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.bootstrap import build
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.main_window import MainWindow
from tests.factories import pack_dict, write_pack

ROUNDS = 5
THINK_MS = 40


def _png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(QColor("#f4c7c3"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = pack_dict(40)
        for index, question in enumerate(data["questions"]):
            question["stem"] = question["stem"] + " " + "History and examination details. " * 25
            if index % 4 == 0:
                question["media"] = [{"file": f"media/exhibit{index}.png", "caption": "Exhibit"}]
        media = {f"media/exhibit{i}.png": _png(1000, 400) for i in range(0, 40, 4)}
        services = build(root / "data", import_bundled=False)
        services.packs.import_path(write_pack(root / "pack", data, media=media))
        window = MainWindow(services, Preferences())
        window.resize(1280, 800)
        window.show()
        show_ms: list[float] = []
        store_ms: list[float] = []
        for round_number in range(ROUNDS):
            window.start_block(BlockRequest(BlockFilter(), size=40, seed=round_number))
            controller = window.block_screen.controller
            assert controller is not None
            for position in range(1, 40):
                started = time.perf_counter()
                controller.go_to(position)
                app.processEvents()  # layout and paint: what the user waits for
                show_ms.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                controller.runner.select(position, "ABCDE"[position % 5])
                store_ms.append((time.perf_counter() - started) * 1000)
                QTest.qWait(THINK_MS)  # the user reads the item; idle work (prefetch) happens here
            controller.stop()
        services.close()
    print(
        f"show next question: n={len(show_ms)} median {statistics.median(show_ms):.2f} ms, "
        f"p95 {_percentile(show_ms, 0.95):.2f} ms (target p95 <= 16 ms)"
    )
    print(
        f"store an answer durably (SQLite WAL, synchronous=FULL): n={len(store_ms)} "
        f"median {statistics.median(store_ms):.2f} ms, p99 {_percentile(store_ms, 0.99):.2f} ms (target p99 <= 10 ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
