"""The wheel carries everything: installed into a fresh venv, ``blocksim`` works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.mark.slow
def test_the_wheel_installs_and_runs_from_another_folder(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)], cwd=tmp_path)
    (wheel,) = wheels.glob("blocksim-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "app/resources/shortcuts.json" in names
    assert "app/resources/fonts/DejaVuSans.ttf" in names
    assert "app/question_packs/ck-pediatrics/pack.json" in names
    assert any(n.startswith("app/question_packs/ck-image-cases/media/") for n in names)
    assert "app/storage/migrations/versions/0001_initial_schema.py" in names
    info = next(n for n in names if n.endswith(".dist-info/METADATA"))
    metadata = zipfile.ZipFile(wheel).read(info).decode()
    assert "License-Expression: MIT AND CC-BY-4.0 AND Bitstream-Vera" in metadata
    assert {"LICENSE", "resources/licenses/question-packs-CC-BY-4.0.txt", "resources/fonts/LICENSE"} <= {
        n.split(".dist-info/licenses/", 1)[1] for n in names if ".dist-info/licenses/" in n
    }

    # A fresh venv that sees this interpreter's installed dependencies (PySide6 & co. need no download)
    # through a .pth line, but not its (editable) Blocksim: .pth files of that folder are not processed.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    python = venv / "bin" / "python"
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        cwd=tmp_path,
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "BLOCKSIM_DATA_DIR"}}
    env["QT_QPA_PLATFORM"] = "offscreen"
    located = _run(
        [str(python), "-c", "import app, app.paths as p; print(app.__file__); print(p.resource('x'))"],
        cwd=elsewhere,
        env=env,
    ).stdout.split()
    assert all(Path(path).is_relative_to(venv) for path in located), located

    blocksim = str(venv / "bin" / "blocksim")
    packs = _run([blocksim, "--data-dir", str(tmp_path / "data"), "packs"], cwd=elsewhere, env=env).stdout
    bundled = sorted(p.name for p in (ROOT / "question_packs").iterdir() if (p / "pack.json").is_file())
    assert packs.splitlines()[-1].startswith(f"{len(bundled)} pack(s), "), packs
    assert all(name in packs for name in bundled), packs

    self_test = _run([blocksim, "--self-test"], cwd=elsewhere, env=env).stdout
    assert self_test.rstrip().endswith("self-test passed"), self_test
    assert "FAIL" not in self_test
    assert str(venv) in self_test  # the resources it used are the wheel's
