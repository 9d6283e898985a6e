"""``python -m app`` is the ``blocksim`` command."""

from app.cli import main

raise SystemExit(main())
