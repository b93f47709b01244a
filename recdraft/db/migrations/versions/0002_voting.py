"""voting: rounds, round items, current votes, vote history, recusals, frozen round results

Only the voting tables (recdraft/db/voting_models.py); nothing else changes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 18:49:04.015889
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import recdraft.db.models


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('voting_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('opened_by', sa.Integer(), nullable=False),
    sa.Column('opened_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.Column('closes_at', recdraft.db.models.UTCDateTime(), nullable=True),
    sa.Column('closed_at', recdraft.db.models.UTCDateTime(), nullable=True),
    sa.Column('closed_by', sa.Integer(), nullable=True),
    sa.Column('carried_from_round_id', sa.Integer(), nullable=True),
    sa.Column('pseudonym_key', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_voting_rounds_status')),
    sa.ForeignKeyConstraint(['carried_from_round_id'], ['voting_rounds.id'], name=op.f('fk_voting_rounds_carried_from_round_id_voting_rounds')),
    sa.ForeignKeyConstraint(['closed_by'], ['users.id'], name=op.f('fk_voting_rounds_closed_by_users')),
    sa.ForeignKeyConstraint(['opened_by'], ['users.id'], name=op.f('fk_voting_rounds_opened_by_users')),
    sa.ForeignKeyConstraint(['roundtable_id'], ['roundtables.id'], name=op.f('fk_voting_rounds_roundtable_id_roundtables')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voting_rounds')),
    sa.UniqueConstraint('roundtable_id', 'number', name=op.f('uq_voting_rounds_roundtable_id_number'))
    )
    with op.batch_alter_table('voting_rounds', schema=None) as batch_op:
        batch_op.create_index('ix_voting_rounds_status_closes_at', ['status', 'closes_at'], unique=False)

    op.create_table('recusals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recused_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', recdraft.db.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recusals_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['round_id'], ['voting_rounds.id'], name=op.f('fk_recusals_round_id_voting_rounds')),
    sa.ForeignKeyConstraint(['voter_id'], ['users.id'], name=op.f('fk_recusals_voter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recusals')),
    sa.UniqueConstraint('round_id', 'recommendation_id', 'voter_id', name=op.f('uq_recusals_round_id_recommendation_id_voter_id'))
    )
    op.create_table('round_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('block_override_reason', sa.Text(), nullable=True),
    sa.Column('block_override_by', sa.Integer(), nullable=True),
    sa.Column('block_override_at', recdraft.db.models.UTCDateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['block_override_by'], ['users.id'], name=op.f('fk_round_items_block_override_by_users')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_round_items_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['round_id'], ['voting_rounds.id'], name=op.f('fk_round_items_round_id_voting_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_items')),
    sa.UniqueConstraint('round_id', 'recommendation_id', name=op.f('uq_round_items_round_id_recommendation_id'))
    )
    with op.batch_alter_table('round_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_items_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('round_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('tally', sa.JSON(), nullable=False),
    sa.Column('group_tallies', sa.JSON(), nullable=False),
    sa.Column('ballots', sa.JSON(), nullable=False),
    sa.Column('dissents', sa.JSON(), nullable=False),
    sa.Column('frozen_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_round_results_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_round_results_revision_id_revisions')),
    sa.ForeignKeyConstraint(['round_id'], ['voting_rounds.id'], name=op.f('fk_round_results_round_id_voting_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_results')),
    sa.UniqueConstraint('round_id', 'recommendation_id', name=op.f('uq_round_results_round_id_recommendation_id'))
    )
    with op.batch_alter_table('round_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_results_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=8), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('reason_named', sa.Boolean(), nullable=False),
    sa.Column('cast_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("choice IN ('agree', 'disagree', 'abstain', 'block') OR choice IS NULL", name=op.f('ck_votes_choice')),
    sa.CheckConstraint('choice IS NOT NULL OR rating IS NOT NULL', name=op.f('ck_votes_has_content')),
    sa.CheckConstraint('rating BETWEEN 1 AND 9 OR rating IS NULL', name=op.f('ck_votes_rating')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_votes_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_votes_revision_id_revisions')),
    sa.ForeignKeyConstraint(['round_id', 'recommendation_id'], ['round_items.round_id', 'round_items.recommendation_id'], name='fk_votes_round_item'),
    sa.ForeignKeyConstraint(['round_id'], ['voting_rounds.id'], name=op.f('fk_votes_round_id_voting_rounds')),
    sa.ForeignKeyConstraint(['voter_id'], ['users.id'], name=op.f('fk_votes_voter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sa.UniqueConstraint('round_id', 'recommendation_id', 'voter_id', name=op.f('uq_votes_round_id_recommendation_id_voter_id'))
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_votes_voter_id'), ['voter_id'], unique=False)

    op.create_table('vote_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=8), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('reason_named', sa.Boolean(), nullable=False),
    sa.Column('at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.CheckConstraint("action IN ('cast', 'change', 'confirm')", name=op.f('ck_vote_history_action')),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_vote_history_revision_id_revisions')),
    sa.ForeignKeyConstraint(['vote_id'], ['votes.id'], name=op.f('fk_vote_history_vote_id_votes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote_history'))
    )
    with op.batch_alter_table('vote_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_history_vote_id'), ['vote_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('vote_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_history_vote_id'))

    op.drop_table('vote_history')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_votes_voter_id'))

    op.drop_table('votes')
    with op.batch_alter_table('round_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_results_recommendation_id'))

    op.drop_table('round_results')
    with op.batch_alter_table('round_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_items_recommendation_id'))

    op.drop_table('round_items')
    op.drop_table('recusals')
    with op.batch_alter_table('voting_rounds', schema=None) as batch_op:
        batch_op.drop_index('ix_voting_rounds_status_closes_at')

    op.drop_table('voting_rounds')
