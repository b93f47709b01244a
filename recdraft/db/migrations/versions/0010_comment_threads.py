"""issues 15/18, comment threads and pending edits

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import recdraft.db.models


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An edit waiting for a moderator while the approved text stays shown (recdraft/db/thread_models.py).
    op.create_table('comment_pending_edits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('submitted_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'],
                            name=op.f('fk_comment_pending_edits_comment_id_comments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_pending_edits')),
    sa.UniqueConstraint('comment_id', name=op.f('uq_comment_pending_edits_comment_id'))
    )
    # A page of threads follows the replies down from their first comments (a recursive query).
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_parent_id'))
    op.drop_table('comment_pending_edits')
