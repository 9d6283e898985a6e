"""narrow questions: the question JSON lives only in question_versions

``questions`` kept each question's JSON beside the filter columns, so every filter and block build
scanned the bodies too (8.6 MB for 10 k short MedQA-style items, 44 MB for longer ones), and the same
JSON was stored twice: the snapshot named by ``questions.content_hash`` holds it already. This revision
makes sure every question's current content has its snapshot (hashing the stored JSON; a missing or
stale hash is repaired), copies the one body field filters use (``topic``) into a column, and drops
``questions.data``. A question's body is then read from ``question_versions`` only for the questions shown or exported.

Native ``ALTER TABLE ... DROP COLUMN`` (SQLite 3.35+): a batch rebuild of ``questions`` would delete rows
that sessions still refer to.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 04:20:00
"""

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _content_hash(pack_id: str, data: Any) -> str:
    # A frozen copy of app.core.question_versions.content_hash: a migration must not change with the app.
    document = json.dumps(
        {"pack_id": pack_id, "question": data}, sort_keys=True, separators=(",", ":"), ensure_ascii=True
    )
    return hashlib.sha256(document.encode("ascii")).hexdigest()


_questions = sa.table(
    "questions",
    sa.column("key", sa.Integer()),
    sa.column("pack_id", sa.String()),
    sa.column("answer", sa.String()),
    sa.column("data", sa.JSON()),
    sa.column("content_hash", sa.String()),
)
_packs = sa.table("packs", sa.column("id", sa.String()), sa.column("version", sa.String()))
_versions = sa.table(
    "question_versions",
    sa.column("hash", sa.String()),
    sa.column("question_key", sa.Integer()),
    sa.column("pack_version", sa.String()),
    sa.column("data", sa.JSON()),
    sa.column("answer", sa.String()),
)


def upgrade() -> None:
    bind = op.get_bind()
    known = set(bind.execute(sa.select(_versions.c.hash)).scalars())
    rows = bind.execute(
        sa.select(
            _questions.c.key,
            _questions.c.pack_id,
            _questions.c.answer,
            _questions.c.data,
            _questions.c.content_hash,
            _packs.c.version,
        ).join(_packs, _packs.c.id == _questions.c.pack_id)
    ).all()
    missing: list[dict[str, Any]] = []
    rehashed: list[dict[str, Any]] = []
    for key, pack_id, answer, data, stored, version in rows:
        digest = _content_hash(pack_id, data)
        if digest not in known:
            known.add(digest)
            missing.append(
                {"hash": digest, "question_key": key, "pack_version": version, "data": data, "answer": answer}
            )
        if digest != stored:
            rehashed.append({"question_key": key, "hash": digest})
    if missing:
        bind.execute(sa.insert(_versions), missing)
    if rehashed:
        bind.execute(
            sa.update(_questions)
            .where(_questions.c.key == sa.bindparam("question_key"))
            .values(content_hash=sa.bindparam("hash")),
            rehashed,
        )
    op.execute("ALTER TABLE questions ADD COLUMN topic TEXT")
    op.execute("UPDATE questions SET topic = json_extract(data, '$.topic')")
    op.execute("ALTER TABLE questions DROP COLUMN data")


def downgrade() -> None:
    op.execute("ALTER TABLE questions ADD COLUMN data JSON")
    op.execute(
        "UPDATE questions SET data = "
        "(SELECT question_versions.data FROM question_versions WHERE question_versions.hash = questions.content_hash)"
    )
    op.execute("ALTER TABLE questions DROP COLUMN topic")
