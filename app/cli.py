"""The ``blocksim`` command. Qt is imported only when a window is opened."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__, paths
from app.core.block import Mode
from app.core.errors import BlocksimError
from app.core.selection import MAX_BLOCK_SIZE, BlockFilter

if TYPE_CHECKING:
    from app.core.importers import ImportOverrides, ImportResult


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blocksim", description="Blocksim: sit timed USMLE Step 2 CK-style blocks and exam days offline."
    )
    parser.add_argument("--version", action="version", version=f"Blocksim {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation offscreen (temporary store, bundled packs, every screen, a block); exit 0/1",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"where the database lives (default: ${paths.DATA_DIR_ENV} or the user data folder)",
    )
    sub = parser.add_subparsers(dest="command")
    validate = sub.add_parser("validate", help="check packs and print one line per problem")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp = sub.add_parser(
        "import", help="import packs or question files (MedQA JSONL, CSV, Moodle XML, GIFT, QTI), all or nothing"
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument("--dry-run", action="store_true", help="print what would be imported and skipped; change nothing")
    _identity_options(imp)
    convert = sub.add_parser("convert", help="write the pack folder (pack.json and media/) an import would install")
    convert.add_argument("path", type=Path, metavar="PATH")
    convert.add_argument("--out", type=Path, required=True, metavar="DIR")
    _identity_options(convert)
    template = sub.add_parser("template", help="print a template to fill in (csv)")
    template.add_argument("kind", choices=["csv"])
    template.add_argument("--out", type=Path, metavar="FILE")
    sub.add_parser("packs", help="list installed packs with question counts")
    block = sub.add_parser("block", help="open the app straight into a new block")
    block.add_argument("--pack", action="append", default=[], metavar="ID", help="pack id (repeatable; default: all)")
    block.add_argument("--size", type=int, default=MAX_BLOCK_SIZE, help="number of items, 1-40 (default 40)")
    block.add_argument("--minutes", type=float, help="time limit (default 60, or 90 s per item for smaller blocks)")
    block.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.TIMED.value)
    export = sub.add_parser("export", help="write every session with its items, or questions as an Anki .apkg")
    export.add_argument("--format", choices=["json", "csv", "apkg"], default="json")
    export.add_argument("--out", type=Path, metavar="FILE", help="output file (default: standard output)")
    analyze = sub.add_parser("analyze", help="why points were lost: patterns, reasons, strengths (JSON or text)")
    scope = analyze.add_mutually_exclusive_group()
    scope.add_argument("--session", metavar="ID", help="one block: its id or 'latest' (the default)")
    scope.add_argument("--day", type=int, metavar="ID", help="an exam day's blocks")
    scope.add_argument("--all", action="store_true", help="every finished block")
    analyze.add_argument("--format", choices=["json", "text"], default="text")
    analyze.add_argument("--items", action="store_true", help="with --all: list every item (slow on long histories)")
    reason = sub.add_parser("reason", help="give your own reason for a missed item (it wins over the suggestion)")
    reason.add_argument("--session", type=int, required=True, metavar="ID")
    reason.add_argument("--position", type=int, required=True, metavar="N", help="the item's position, from 1")
    reason.add_argument("reason", metavar="REASON_ID", help="a reason id of resources/error_reasons.json")
    sub.add_parser("rebuild", help="rebuild the derived item facts from the stored events")
    chosen = export.add_mutually_exclusive_group()
    chosen.add_argument("--missed", action="store_true", help="apkg: questions last answered wrong (the default)")
    chosen.add_argument("--marked", action="store_true", help="apkg: questions marked at their last sitting")
    chosen.add_argument("--session", type=int, metavar="ID", help="apkg: every question of one block")
    chosen.add_argument("--day", type=int, metavar="ID", help="apkg: every question of one exam day")
    chosen.add_argument("--pack", metavar="ID", help="apkg: every question of one pack")
    chosen.add_argument("--all", action="store_true", help="apkg: every installed question")
    schema = sub.add_parser("schema", help="print the JSON Schema of pack format v1")
    schema.add_argument("--out", type=Path, metavar="FILE")
    backup = sub.add_parser("backup", help="write a consistent copy of the database")
    backup.add_argument("--out", type=Path, metavar="FILE", help="output file (default: a manual copy in backups/)")
    restore = sub.add_parser("restore", help="replace the database with a backup (keeps the replaced one)")
    restore.add_argument("file", type=Path, metavar="FILE")
    return parser


def _identity_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--id", dest="pack_id", metavar="ID", help="pack id (default: from the file name)")
    parser.add_argument("--title", metavar="TEXT", help="pack title (default: from the file)")
    parser.add_argument(
        "--version", dest="pack_version", metavar="X.Y.Z", help="pack version (default: from the file's modified time)"
    )


def _overrides(args: argparse.Namespace) -> ImportOverrides:
    from app.core.importers import ImportOverrides

    paths = getattr(args, "paths", [None])
    if len(paths) > 1 and (args.pack_id or args.title or args.pack_version):
        raise BlocksimError("--id, --title and --version apply to one file at a time")
    return ImportOverrides(args.pack_id, args.title, args.pack_version)


class _TerminalProgress:
    """A simple progress line on standard error for files of more than a few hundred items."""

    THRESHOLD = 300

    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if total <= self.THRESHOLD or not sys.stderr.isatty():
            return
        sys.stderr.write(f"\r{self.label}: {done}/{total} items")
        self.shown = True
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _describe(path: Path, result: ImportResult) -> list[str]:
    pack = result.loaded_pack.pack
    lines = [
        f"{path}: {result.format}, pack {pack.id} {pack.version} ({pack.title!r}): "
        f"{len(pack.questions)} question(s), {len(result.loaded_pack.media)} image(s)"
    ]
    return lines + [f"  {line}" for line in result.summary_lines()]


def _cmd_validate(args: argparse.Namespace) -> int:
    from app.services.packs import validate_paths

    problems = validate_paths(args.paths)
    for line in problems:
        print(line)
    if not problems:
        print(f"{len(args.paths)} pack(s) valid")
    return 1 if problems else 0


def _cmd_import(args: argparse.Namespace) -> int:
    from app.core.importers import load_any

    overrides = _overrides(args)
    # Every file is read and validated before anything is installed: one bad file imports nothing.
    results = [(path, load_any(path, overrides, _TerminalProgress(str(path)))) for path in args.paths]
    for path, result in results:
        for line in _describe(path, result):
            print(line)
    if args.dry_run:
        print("dry run: nothing imported")
        return 0
    from app.bootstrap import build

    services = build(args.data_dir)
    try:
        for path, result in results:
            outcome = services.packs.install(result, source=str(path))
            if outcome.unchanged:
                print(f"{outcome.pack_id} {outcome.version} is already installed; nothing changed")
            elif outcome.previous_version:
                print(
                    f"updated {outcome.pack_id} {outcome.previous_version} -> {outcome.version}: "
                    f"{outcome.added} added, {outcome.updated} updated, {outcome.retired} retired"
                )
            else:
                print(f"imported {outcome.pack_id} {outcome.version}: {outcome.added} questions")
    finally:
        services.close()
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from app.core.importers import load_any
    from app.services.packs import write_pack_folder

    result = load_any(args.path, _overrides(args), _TerminalProgress(str(args.path)))
    for line in _describe(args.path, result):
        print(line)
    written = write_pack_folder(result.loaded_pack, args.out)
    print(f"wrote {written}; check it with: blocksim validate {args.out}")
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from app.core.importers.csv_format import template

    text = template()
    if args.out:
        tmp = args.out.with_name(args.out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _cmd_packs(args: argparse.Namespace) -> int:
    from app.bootstrap import build

    services = build(args.data_dir)
    try:
        packs = services.store.packs()
        width = max((len(p.id) for p in packs), default=2)
        for pack in packs:
            print(f"{pack.id:<{width}}  {pack.version:<8}  {pack.question_count:>5} questions  {pack.title}")
        print(f"{len(packs)} pack(s), {sum(p.question_count for p in packs)} questions")
    finally:
        services.close()
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    if args.format == "apkg":
        return _export_apkg(args)
    from app.bootstrap import build
    from app.services.export import history, to_csv, to_json

    services = build(args.data_dir, import_bundled=False)
    try:
        data = history(services.store, services.clock)
    finally:
        services.close()
    text = to_json(data) if args.format == "json" else to_csv(data)
    if args.out:
        tmp = args.out.with_name(args.out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(args.out)
        print(f"wrote {len(data)} session(s) to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _cmd_analyze(args: argparse.Namespace) -> int:
    from app.bootstrap import build

    services = build(args.data_dir, import_bundled=False)
    try:
        if args.all:
            analysis = services.analysis.history(include_items=args.items)
        elif args.day is not None:
            analysis = services.analysis.day(args.day)
        else:
            analysis = services.analysis.session(args.session or "latest")
    finally:
        services.close()
    sys.stdout.write(analysis.to_json() if args.format == "json" else analysis.to_text())
    return 0


def _cmd_reason(args: argparse.Namespace) -> int:
    from app.bootstrap import build

    services = build(args.data_dir, import_bundled=False)
    try:
        given = services.analysis.set_reason(args.session, args.position, args.reason)
    finally:
        services.close()
    print(f"session {given.session_id} item {given.position}: reason {given.reason} (recorded {given.recorded_at})")
    return 0


def _cmd_rebuild(args: argparse.Namespace) -> int:
    from app.bootstrap import build

    services = build(args.data_dir, import_bundled=False)
    try:
        count = services.analysis.rebuild_facts()
    finally:
        services.close()
    print(f"rebuilt the item facts of {count} finished block(s) from their events")
    return 0


def _export_apkg(args: argparse.Namespace) -> int:
    from app.bootstrap import build
    from app.services.anki_export import Selection, export_apkg

    if args.out is None:
        raise BlocksimError("--format apkg needs --out FILE.apkg")
    if args.session is not None:
        selection = Selection("session", args.session)
    elif args.day is not None:
        selection = Selection("day", args.day)
    elif args.pack:
        selection = Selection("pack", args.pack)
    else:
        selection = Selection("marked" if args.marked else "all" if args.all else "missed")
    services = build(args.data_dir, import_bundled=False)
    try:
        summary = export_apkg(services.store, selection, args.out)
    finally:
        services.close()
    print(f"wrote {summary.notes} note(s) and {summary.media} image(s) to {args.out}", file=sys.stderr)
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from app.core.pack_format import pack_json_schema

    text = json.dumps(pack_json_schema(), indent=2) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from app.services.backups import BackupService

    info = BackupService(paths.data_dir(args.data_dir)).back_up(args.out)
    print(f"backed up to {info.path} ({info.size:,} bytes)")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from app.services.backups import BackupService
    from app.ui.data_folder_lock import no_window_open

    folder = paths.data_dir(args.data_dir)
    with no_window_open(folder):
        outcome = BackupService(folder).restore(args.file)
    print(f"restored {outcome.source} (schema {outcome.revision})")
    if outcome.kept is not None:
        print(f"the replaced database was kept as {outcome.kept.path}")
    return 0


def _cmd_gui(args: argparse.Namespace) -> int:
    from app.ui.application import run_gui

    block_request = None
    if args.command == "block":
        from app.services.blocks import BlockRequest

        if not 1 <= args.size <= MAX_BLOCK_SIZE:
            raise BlocksimError(f"--size must be between 1 and {MAX_BLOCK_SIZE}")
        block_request = BlockRequest(
            block_filter=BlockFilter(packs=frozenset(args.pack)),
            size=args.size,
            minutes=args.minutes,
            mode=Mode(args.mode),
        )
    return run_gui(args.data_dir, block_request)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.self_test:
        from app.ui.application import run_self_test

        return run_self_test()
    handlers = {
        "validate": _cmd_validate,
        "import": _cmd_import,
        "convert": _cmd_convert,
        "template": _cmd_template,
        "packs": _cmd_packs,
        "export": _cmd_export,
        "schema": _cmd_schema,
        "analyze": _cmd_analyze,
        "reason": _cmd_reason,
        "rebuild": _cmd_rebuild,
        "backup": _cmd_backup,
        "restore": _cmd_restore,
        None: _cmd_gui,
        "block": _cmd_gui,
    }
    try:
        return handlers[args.command](args)
    except BlocksimError as exc:
        print(f"blocksim: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
