"""The ``blocksim`` command. Qt is imported only when a window is opened."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from app import __version__, paths
from app.core.block import Mode
from app.core.errors import BlocksimError
from app.core.selection import MAX_BLOCK_SIZE, BlockFilter


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
    imp = sub.add_parser("import", help="import a pack (all or nothing)")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    sub.add_parser("packs", help="list installed packs with question counts")
    block = sub.add_parser("block", help="open the app straight into a new block")
    block.add_argument("--pack", action="append", default=[], metavar="ID", help="pack id (repeatable; default: all)")
    block.add_argument("--size", type=int, default=MAX_BLOCK_SIZE, help="number of items, 1-40 (default 40)")
    block.add_argument("--minutes", type=float, help="time limit (default 60, or 90 s per item for smaller blocks)")
    block.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.TIMED.value)
    export = sub.add_parser("export", help="write every session with its items")
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--out", type=Path, metavar="FILE", help="output file (default: standard output)")
    schema = sub.add_parser("schema", help="print the JSON Schema of pack format v1")
    schema.add_argument("--out", type=Path, metavar="FILE")
    return parser


def _cmd_validate(args: argparse.Namespace) -> int:
    from app.services.packs import validate_paths

    problems = validate_paths(args.paths)
    for line in problems:
        print(line)
    if not problems:
        print(f"{len(args.paths)} pack(s) valid")
    return 1 if problems else 0


def _cmd_import(args: argparse.Namespace) -> int:
    from app.bootstrap import build

    services = build(args.data_dir)
    try:
        for path in args.paths:
            outcome = services.packs.import_path(path)
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


def _cmd_schema(args: argparse.Namespace) -> int:
    from app.core.pack_format import pack_json_schema

    text = json.dumps(pack_json_schema(), indent=2) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
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
        "packs": _cmd_packs,
        "export": _cmd_export,
        "schema": _cmd_schema,
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
