"""Size and start-up time of the one-folder bundle: ``python -m benchmarks.bundle [BUNDLE] [--bare BARE]``.

BUNDLE defaults to dist/blocksim. ``--bare`` gives a bare PySide6 window's bundle built the same way (one
folder, same PyInstaller and PySide6; an app of ``QApplication`` + ``QWidget().show()``) to compare with.
Prints the folder size, its tar.gz size, the median wall time of ``blocksim --version`` (boot of the frozen
interpreter and the CLI, no Qt), and the median wall time of ``blocksim --self-test`` (Qt start-up, store,
bundled packs, every screen rendered, a block), offscreen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def folder_size(folder: Path) -> int:
    """Bytes of the files under ``folder`` (symlinks not followed)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def targz_size(folder: Path) -> int:
    """Bytes of ``folder`` as a .tar.gz (what a download would weigh)."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "bundle.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(folder, arcname=folder.name)
        return archive.stat().st_size


def median_seconds(command: list[str], runs: int) -> float:
    """Median wall time of ``command`` (which must succeed)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", type=Path, default=ROOT / "dist" / "blocksim")
    parser.add_argument("--bare", type=Path, help="a bare PySide6 window's one-folder bundle")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    mib = 1024 * 1024
    size = folder_size(args.bundle)
    print(f"bundle {args.bundle}: {size / mib:.1f} MiB, {targz_size(args.bundle) / mib:.1f} MiB as tar.gz")
    if args.bare:
        bare = folder_size(args.bare)
        print(
            f"bare PySide6 window {args.bare}: {bare / mib:.1f} MiB, {targz_size(args.bare) / mib:.1f} MiB as tar.gz; "
            f"the bundle is {100 * (size - bare) / bare:+.1f} % of it"
        )
    executable = args.bundle / "blocksim"
    version = median_seconds([str(executable), "--version"], args.runs)
    print(f"start-up to the CLI (blocksim --version): median {version * 1000:.0f} ms of {args.runs}")
    self_test = median_seconds([str(executable), "--self-test"], max(1, args.runs // 2))
    print(f"blocksim --self-test (Qt, store, packs, every screen, a block): median {self_test:.2f} s")


if __name__ == "__main__":
    main()
