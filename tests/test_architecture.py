"""Dependencies point inward: no Qt outside app/ui, no SQLAlchemy in app/core, no Qt for the CLI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0] if node.level == 0 else "")
            if node.module.startswith("app."):
                names.add(node.module)
    return names


def test_no_qt_outside_ui() -> None:
    offenders = [
        str(p.relative_to(APP))
        for p in APP.rglob("*.py")
        if "ui" not in p.relative_to(APP).parts[:1] and "PySide6" in _imports(p)
    ]
    assert offenders == []


def test_core_has_no_sqlalchemy_or_storage() -> None:
    for path in (APP / "core").rglob("*.py"):
        imports = _imports(path)
        assert "sqlalchemy" not in imports and "alembic" not in imports, path
        assert not any(name.startswith(("app.storage", "app.services", "app.ui")) for name in imports), path


def test_validate_does_not_load_qt(tmp_path: Path) -> None:
    code = "import sys; from app.cli import main; main(['validate', '/nonexistent']); print('PySide6' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stdout.strip().endswith("False")
