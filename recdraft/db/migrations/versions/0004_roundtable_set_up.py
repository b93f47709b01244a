"""roundtable set-up (issue 9): organisers, invitations that carry consent and language, frozen round voters

- users.is_organiser: organisers may create roundtables.
- invitations.consent_named, invitations.language: applied when the invitation is accepted.
- voting_rounds.voters_frozen_at and the round_voters table: who may vote in a round, frozen when it opens.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import recdraft.db.models  # noqa: F401


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_organiser', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_named', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('language', sa.String(length=2), nullable=True))
    with op.batch_alter_table('voting_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voters_frozen_at', recdraft.db.models.UTCDateTime(), nullable=True))
    op.create_table('round_voters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['voting_rounds.id'], name=op.f('fk_round_voters_round_id_voting_rounds')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_round_voters_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_voters')),
    sa.UniqueConstraint('round_id', 'user_id', name=op.f('uq_round_voters_round_id_user_id'))
    )
    with op.batch_alter_table('round_voters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_voters_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('round_voters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_voters_user_id'))
    op.drop_table('round_voters')
    with op.batch_alter_table('voting_rounds', schema=None) as batch_op:
        batch_op.drop_column('voters_frozen_at')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('language')
        batch_op.drop_column('consent_named')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('is_organiser')
