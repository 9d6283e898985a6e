"""derived history: per-session summaries and per-question states

Caches of the event log for a fast start with a long history, never the only copy. A store without
closed blocks is complete as it is (stamped at version 1, no rows); a store with some gets no stamp, so
the first read rebuilds both tables from the events once (app.storage.derived).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('session_summaries',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('event_count', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('correct', sa.Integer(), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('marked', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id')
    )
    op.create_table('question_states',
    sa.Column('question_key', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.String(length=1), nullable=True),
    sa.Column('correct', sa.Integer(), nullable=False),
    sa.Column('marked', sa.Integer(), nullable=False),
    sa.Column('last_incorrect', sa.Integer(), nullable=False),
    sa.Column('last_wrong_session', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('question_key')
    )
    op.create_table('derived_stamps',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    closed = op.get_bind().execute(
        sa.text("SELECT count(*) FROM sessions WHERE kind = 'block' AND status != 'active'")
    ).scalar()
    if not closed:
        op.execute("INSERT INTO derived_stamps (name, version, rows) VALUES ('question_states', 1, 0)")


def downgrade() -> None:
    op.drop_table('derived_stamps')
    op.drop_table('question_states')
    op.drop_table('session_summaries')
