"""issue 19, live mode: meetings in the room and the votes taken in them

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 15:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import recdraft.db.models


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('live_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('current_recommendation_id', sa.Integer(), nullable=True),
    sa.Column('current_round_id', sa.Integer(), nullable=True),
    sa.Column('started_by', sa.Integer(), nullable=True),
    sa.Column('started_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.Column('ended_at', recdraft.db.models.UTCDateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['current_recommendation_id'], ['recommendations.id'],
                            name=op.f('fk_live_sessions_current_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['current_round_id'], ['voting_rounds.id'],
                            name=op.f('fk_live_sessions_current_round_id_voting_rounds')),
    sa.ForeignKeyConstraint(['roundtable_id'], ['roundtables.id'],
                            name=op.f('fk_live_sessions_roundtable_id_roundtables')),
    sa.ForeignKeyConstraint(['started_by'], ['users.id'], name=op.f('fk_live_sessions_started_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_sessions')),
    sa.UniqueConstraint('code', name=op.f('uq_live_sessions_code'))
    )
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_live_sessions_roundtable_id_ended_at', ['roundtable_id', 'ended_at'], unique=False)
    op.create_table('live_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('live_session_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['live_session_id'], ['live_sessions.id'],
                            name=op.f('fk_live_votes_live_session_id_live_sessions')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'],
                            name=op.f('fk_live_votes_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['round_id'], ['voting_rounds.id'], name=op.f('fk_live_votes_round_id_voting_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_votes')),
    sa.UniqueConstraint('round_id', name=op.f('uq_live_votes_round_id'))
    )


def downgrade() -> None:
    op.drop_table('live_votes')
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_live_sessions_roundtable_id_ended_at')
    op.drop_table('live_sessions')
