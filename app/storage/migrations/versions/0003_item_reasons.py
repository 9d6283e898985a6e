"""item reasons and derived item facts

The user's own reasons for missed items (append-only), and the derived per-item facts with their
stamps. The facts table starts empty: every session then has no stamp, i.e. is stale, and the
analysis service rebuilds it from the events before its first use (``blocksim rebuild`` does it at once).

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-01 20:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('item_reasons',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_key', sa.Integer(), nullable=True),
    sa.Column('pack_id', sa.String(length=64), nullable=True),
    sa.Column('question_id', sa.String(length=128), nullable=True),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('item_reasons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_reasons_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_item_reasons_question_key'), ['question_key'], unique=False)

    op.create_table('item_facts',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_key', sa.Integer(), nullable=True),
    sa.Column('answer', sa.String(length=1), nullable=True),
    sa.Column('correct_answer', sa.String(length=1), nullable=True),
    sa.Column('scored', sa.Integer(), nullable=False),
    sa.Column('correct', sa.Integer(), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('visits', sa.Integer(), nullable=False),
    sa.Column('first_answer_s', sa.Float(), nullable=True),
    sa.Column('changes', sa.Integer(), nullable=False),
    sa.Column('wrong_to_right', sa.Integer(), nullable=False),
    sa.Column('right_to_wrong', sa.Integer(), nullable=False),
    sa.Column('wrong_to_wrong', sa.Integer(), nullable=False),
    sa.Column('marked', sa.Integer(), nullable=False),
    sa.Column('flags', sa.Integer(), nullable=False),
    sa.Column('half', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'position')
    )
    with op.batch_alter_table('item_facts', schema=None) as batch_op:
        batch_op.create_index('ix_item_facts_tally', ['scored', 'question_key', 'flags', 'half', 'correct', 'answered', 'seconds', 'wrong_to_right', 'right_to_wrong', 'wrong_to_wrong'], unique=False)

    op.create_table('item_fact_stamps',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('max_seq', sa.Integer(), nullable=False),
    sa.Column('event_count', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('basis', sa.String(length=64), nullable=False),
    sa.Column('scored', sa.Integer(), nullable=False),
    sa.Column('correct', sa.Integer(), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id')
    )


def downgrade() -> None:
    op.drop_table('item_fact_stamps')
    with op.batch_alter_table('item_facts', schema=None) as batch_op:
        batch_op.drop_index('ix_item_facts_tally')
    op.drop_table('item_facts')
    with op.batch_alter_table('item_reasons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_reasons_question_key'))
        batch_op.drop_index(batch_op.f('ix_item_reasons_session_id'))
    op.drop_table('item_reasons')
