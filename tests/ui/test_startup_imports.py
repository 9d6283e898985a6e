"""Start-up loads what the home screen needs: the other screens' modules wait for their first use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.bootstrap import build

ROOT = Path(__file__).resolve().parents[2]

LATER = (
    "PySide6.QtCharts",  # the dashboard's and the reports' charts
    "alembic",  # only when the store needs migrating
    "genanki",  # the Anki export
    "app.core.importers",  # reading other tools' question files
    "app.services.export",
    "app.ui.report_flow",
    "app.ui.printable_report",
    "app.ui.screens.analytics_screen",
    "app.ui.screens.history_review_screen",
    "app.ui.screens.day_screens",
)

# Starts the GUI like `blocksim --data-dir DIR`; at the first event-loop turn (home on show) prints which of
# LATER are loaded, and the built screens, then quits.
_PROBE = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

later = json.loads(sys.argv[2])
_exec = QApplication.exec

def _report():
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow))
    built = [type(window.stack.widget(i)).__name__ for i in range(window.stack.count())]
    print(json.dumps({"loaded": [name for name in later if name in sys.modules], "built": built}), flush=True)
    QApplication.instance().quit()

def _exec_then_report(*_args):
    QTimer.singleShot(0, _report)
    return _exec()

QApplication.exec = staticmethod(_exec_then_report)
from app.cli import main
raise SystemExit(main(["--data-dir", sys.argv[1]]))
"""


def test_the_home_screen_shows_without_the_other_screens_modules(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    build(folder).close()  # the bundled packs installed, as at every start after the first
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(folder), json.dumps(LATER)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown == {"loaded": [], "built": ["HomeScreen"]}
