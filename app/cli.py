"""The ``blocksim`` command. Qt is imported only when a window is opened."""

from __future__ import annotations

import argparse
import io
import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__, paths
from app.core.atomic_file import write_text_atomic
from app.core.block import Mode
from app.core.errors import BlocksimError
from app.core.selection import MAX_BLOCK_SIZE, BlockFilter
from app.logs import DEFAULT_LEVEL, LEVELS, setup_logging

MAX_BLOCK_MINUTES = 24 * 60
"""No block is longer than a day (a 16-block day is 9 hours)."""


def _positive_minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= MAX_BLOCK_MINUTES:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most {MAX_BLOCK_MINUTES} (got {text})")
    return value


def _block_size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= MAX_BLOCK_SIZE:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_BLOCK_SIZE} (got {text})")
    return value


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _global_options(*, suppress: bool) -> argparse.ArgumentParser:
    """Options accepted before or after the subcommand (after it, they override)."""
    options = argparse.ArgumentParser(add_help=False)
    default: dict[str, object] = {"default": argparse.SUPPRESS} if suppress else {}
    options.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"where the database lives (default: ${paths.DATA_DIR_ENV} or the user data folder)",
        **default,  # type: ignore[arg-type]
    )
    options.add_argument(
        "--log-level",
        choices=LEVELS,
        help=f"how much to log (default: {DEFAULT_LEVEL} to the log file, warnings to the terminal)",
        **default,  # type: ignore[arg-type]
    )
    return options


if TYPE_CHECKING:
    from app.core.importers import ImportOverrides, ImportResult


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blocksim",
        description="Blocksim: sit timed USMLE Step 2 CK-style blocks and exam days offline.",
        parents=[_global_options(suppress=False)],
        epilog="Exit codes: 0 ok, 1 invalid input, pack, store or environment, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"Blocksim {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation offscreen (temporary store, bundled packs, every screen, a block); exit 0/1",
    )
    common = [_global_options(suppress=True)]
    sub = parser.add_subparsers(dest="command")
    validate = sub.add_parser("validate", parents=common, help="check packs and print one line per problem")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp = sub.add_parser(
        "import",
        parents=common,
        help="import packs or question files (MedQA JSONL, CSV, Moodle XML, GIFT, QTI), all or nothing",
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument("--dry-run", action="store_true", help="print what would be imported and skipped; change nothing")
    _identity_options(imp)
    convert = sub.add_parser(
        "convert", parents=common, help="write the pack folder (pack.json and media/) an import would install"
    )
    convert.add_argument("path", type=Path, metavar="PATH")
    convert.add_argument("--out", type=Path, required=True, metavar="DIR")
    _identity_options(convert)
    template = sub.add_parser("template", parents=common, help="print a template to fill in (csv)")
    template.add_argument("kind", choices=["csv"])
    template.add_argument("--out", type=Path, metavar="FILE")
    sub.add_parser("packs", parents=common, help="list installed packs with question counts")
    block = sub.add_parser("block", parents=common, help="open the app straight into a new block")
    block.add_argument("--pack", action="append", default=[], metavar="ID", help="pack id (repeatable; default: all)")
    block.add_argument(
        "--size", type=_block_size, default=MAX_BLOCK_SIZE, help=f"number of items, 1-{MAX_BLOCK_SIZE} (default 40)"
    )
    block.add_argument(
        "--minutes", type=_positive_minutes, help="time limit (default 60, or 90 s per item for smaller blocks)"
    )
    block.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.TIMED.value)
    export = sub.add_parser(
        "export", parents=common, help="write every session with its items, or questions as an Anki .apkg"
    )
    export.add_argument("--format", choices=["json", "csv", "apkg"], default="json")
    export.add_argument("--out", type=Path, metavar="FILE", help="output file (default: standard output)")
    analyze = sub.add_parser(
        "analyze", parents=common, help="why points were lost: patterns, reasons, strengths (JSON or text)"
    )
    scope = analyze.add_mutually_exclusive_group()
    scope.add_argument("--session", metavar="ID", help="one block: its id or 'latest' (the default)")
    scope.add_argument("--day", type=int, metavar="ID", help="an exam day's blocks")
    scope.add_argument("--all", action="store_true", help="every finished block")
    analyze.add_argument("--format", choices=["json", "text"], default="text")
    analyze.add_argument("--items", action="store_true", help="with --all: list every item (slow on long histories)")
    reason = sub.add_parser(
        "reason", parents=common, help="give your own reason for a missed item (it wins over the suggestion)"
    )
    reason.add_argument("--session", type=int, required=True, metavar="ID")
    reason.add_argument("--position", type=int, required=True, metavar="N", help="the item's position, from 1")
    reason.add_argument("reason", metavar="REASON_ID", help="a reason id of resources/error_reasons.json")
    report = sub.add_parser(
        "report", parents=common, help="write a printable report (HTML or PDF) of a block, a day or the history"
    )
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--session", type=int, metavar="ID", help="one block")
    which.add_argument("--day", type=int, metavar="ID", help="an exam day's blocks")
    which.add_argument("--all", action="store_true", help="every finished block (narrowed by --since/--until/--pack)")
    report.add_argument("--since", type=_iso_date, metavar="DATE", help="with --all: sittings from DATE (YYYY-MM-DD)")
    report.add_argument("--until", type=_iso_date, metavar="DATE", help="with --all: sittings up to DATE, inclusive")
    report.add_argument("--pack", metavar="ID", help="with --all: only blocks that drew on this pack")
    report.add_argument("--out", type=Path, required=True, metavar="FILE", help="FILE.html or FILE.pdf")
    report.add_argument("--page", choices=["a4", "letter"], help="the PDF's paper (default: the locale's)")
    sub.add_parser("rebuild", parents=common, help="rebuild the derived item facts from the stored events")
    chosen = export.add_mutually_exclusive_group()
    chosen.add_argument("--missed", action="store_true", help="apkg: questions last answered wrong (the default)")
    chosen.add_argument("--marked", action="store_true", help="apkg: questions marked at their last sitting")
    chosen.add_argument("--session", type=int, metavar="ID", help="apkg: every question of one block")
    chosen.add_argument("--day", type=int, metavar="ID", help="apkg: every question of one exam day")
    chosen.add_argument("--pack", metavar="ID", help="apkg: every question of one pack")
    chosen.add_argument("--all", action="store_true", help="apkg: every installed question")
    schema = sub.add_parser("schema", parents=common, help="print the JSON Schema of pack format v1")
    schema.add_argument("--out", type=Path, metavar="FILE")
    backup = sub.add_parser("backup", parents=common, help="write a consistent copy of the database")
    backup.add_argument("--out", type=Path, metavar="FILE", help="output file (default: a manual copy in backups/)")
    restore = sub.add_parser(
        "restore", parents=common, help="replace the database with a backup (keeps the replaced one)"
    )
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
    if isinstance(sys.stdout, io.TextIOWrapper):  # a console that cannot show a character gets an escape
        sys.stdout.reconfigure(errors="backslashreplace")
    for line in problems:
        print(line)
    if not problems:
        print(f"{len(args.paths)} pack(s) valid")
    return 1 if problems else 0


def _cmd_import(args: argparse.Namespace) -> int:
    from app.services.packs import load_all

    overrides = _overrides(args)
    # Every file is read and validated before anything is installed: one bad file imports nothing.
    results = load_all(args.paths, overrides, lambda path: _TerminalProgress(str(path)))
    for path, result in results:
        for line in _describe(path, result):
            print(line)
    if args.dry_run:
        print("dry run: nothing imported")
        return 0
    from app.bootstrap import build

    services = build(args.data_dir)
    try:
        for outcome in services.packs.install_all(results):  # all or nothing across the paths
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
        write_text_atomic(args.out, text)
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
        write_text_atomic(args.out, text)
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


def _cmd_report(args: argparse.Namespace) -> int:
    from app.bootstrap import build
    from app.services.dashboard import DashboardQuery
    from app.services.report import report_format

    report_format(args.out)  # a bad extension fails before the history is read
    if not args.all and (args.since or args.until or args.pack):
        raise BlocksimError("--since, --until and --pack go with --all")
    if not args.out.parent.is_dir():
        raise BlocksimError(f"cannot write {args.out}: the folder {args.out.parent} does not exist")
    if args.session is not None:
        query = DashboardQuery(scope="session", target=args.session)
    elif args.day is not None:
        query = DashboardQuery(scope="day", target=args.day)
    else:
        query = DashboardQuery(since=args.since, until=args.until, pack=args.pack)
    services = build(args.data_dir, import_bundled=False)
    try:
        data = services.reports.load(query)
    finally:
        services.close()
    from app.ui.application import prepare_file_rendering

    prepare_file_rendering()
    from app.ui.printable_report import save_with_application

    saved = save_with_application(data, args.out, args.page)
    pages = f", {saved.pages} page(s)" if saved.pages is not None else ""
    print(f"wrote the {saved.format.upper()} report of {data.heading.scope} to {saved.path}{pages}")
    return 0


def _cmd_rebuild(args: argparse.Namespace) -> int:
    from app.bootstrap import build

    services = build(args.data_dir, import_bundled=False)
    try:
        count = services.analysis.rebuild_facts()
        summarised = services.store.derived.rebuild()
    finally:
        services.close()
    print(f"rebuilt the item facts of {count} finished block(s) from their events")
    print(f"rebuilt the scores and question states of {summarised} closed block(s) from their events")
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
        write_text_atomic(args.out, text)
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


def _cmd_gui(args: argparse.Namespace, log_file: Path | None) -> int:
    from app.ui.application import run_gui

    block_request = None
    if args.command == "block":
        from app.services.blocks import BlockRequest

        block_request = BlockRequest(
            block_filter=BlockFilter(packs=frozenset(args.pack)),
            size=args.size,
            minutes=args.minutes,
            mode=Mode(args.mode),
        )
    return run_gui(args.data_dir, block_request, log_file=log_file)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 a BlocksimError, 2 usage, 130 interrupted)."""
    args = _parser().parse_args(argv)
    if args.self_test:
        from app.ui.application import run_self_test

        return run_self_test()
    handlers: dict[str | None, Callable[[argparse.Namespace], int]] = {
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
        "report": _cmd_report,
        "backup": _cmd_backup,
        "restore": _cmd_restore,
    }
    logs = setup_logging(args.log_level)
    logging.getLogger(__name__).debug("command line: %s", vars(args))
    try:
        if args.command in handlers:
            return handlers[args.command](args)
        return _cmd_gui(args, logs.log_file)
    except BlocksimError as exc:
        print(f"blocksim: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    finally:
        logs.close()
