"""memo record (issue 10): a snapshot can be marked as sent to parliament

- memo_snapshots.sent_at, memo_snapshots.sent_by: when and by whom; redlines compare against the last one sent.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import recdraft.db.models  # noqa: F401


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('memo_snapshots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_at', recdraft.db.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('sent_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_memo_snapshots_sent_by_users'), 'users', ['sent_by'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('memo_snapshots', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_memo_snapshots_sent_by_users'), type_='foreignkey')
        batch_op.drop_column('sent_by')
        batch_op.drop_column('sent_at')
