"""question snapshots: a session keeps the exact question content it was sat with

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 20:40:00

Adds the content-addressed table ``question_versions``, ``questions.content_hash`` (the newest
content) and ``session_items.content_hash`` (the content sat). Existing rows are back-filled from
the questions' current data, the best that is known of what was sat before this revision.
"""

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def _content_hash(pack_id: str, data: Any) -> str:
    # A frozen copy of app.core.question_versions.content_hash: a migration must not change with the app.
    document = json.dumps({"pack_id": pack_id, "question": data}, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(document.encode("ascii")).hexdigest()


def upgrade() -> None:
    op.create_table('question_versions',
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('question_key', sa.Integer(), nullable=False),
    sa.Column('pack_version', sa.String(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('answer', sa.String(length=1), nullable=False),
    sa.ForeignKeyConstraint(['question_key'], ['questions.key'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('hash')
    )
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_versions_question_key'), ['question_key'], unique=False)
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_hash', sa.String(length=64), nullable=True))
    with op.batch_alter_table('session_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_hash', sa.String(length=64), nullable=True))

    bind = op.get_bind()
    questions = sa.table(
        'questions',
        sa.column('key', sa.Integer()),
        sa.column('pack_id', sa.String()),
        sa.column('answer', sa.String()),
        sa.column('data', sa.JSON()),
        sa.column('content_hash', sa.String()),
    )
    packs = sa.table('packs', sa.column('id', sa.String()), sa.column('version', sa.String()))
    versions = sa.table(
        'question_versions',
        sa.column('hash', sa.String()),
        sa.column('question_key', sa.Integer()),
        sa.column('pack_version', sa.String()),
        sa.column('data', sa.JSON()),
        sa.column('answer', sa.String()),
    )
    rows = bind.execute(
        sa.select(questions.c.key, questions.c.pack_id, questions.c.answer, questions.c.data, packs.c.version)
        .join(packs, packs.c.id == questions.c.pack_id)
    ).all()
    snapshots = [
        {'hash': _content_hash(pack_id, data), 'question_key': key, 'pack_version': version, 'data': data, 'answer': answer}
        for key, pack_id, answer, data, version in rows
    ]
    if snapshots:
        # (pack id, question id) is unique and both are hashed, so every row has its own hash.
        bind.execute(sa.insert(versions), snapshots)
        bind.execute(
            sa.update(questions).where(questions.c.key == sa.bindparam('question_key')).values(
                content_hash=sa.bindparam('hash')
            ),
            [{'question_key': s['question_key'], 'hash': s['hash']} for s in snapshots],
        )
    op.execute(
        'UPDATE session_items SET content_hash = '
        '(SELECT questions.content_hash FROM questions WHERE questions.key = session_items.question_key)'
    )

    with op.batch_alter_table('session_items', schema=None) as batch_op:
        batch_op.alter_column('content_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index(batch_op.f('ix_session_items_content_hash'), ['content_hash'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_session_items_content_hash_question_versions'),
            'question_versions',
            ['content_hash'],
            ['hash'],
            ondelete='RESTRICT',
        )


def downgrade() -> None:
    with op.batch_alter_table('session_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_session_items_content_hash_question_versions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_session_items_content_hash'))
        batch_op.drop_column('content_hash')
    # Native DROP COLUMN (SQLite 3.35+): rebuilding ``questions`` would delete rows sessions still refer to.
    op.execute('ALTER TABLE questions DROP COLUMN content_hash')
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_versions_question_key'))
    op.drop_table('question_versions')
