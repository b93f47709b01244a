"""issue 10 item 7, translation workflow

- translations: a recommendation's fields translated into one language, with the revision (and the source
  words) they were made from, so a later edit of the source shows them as outdated.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import recdraft.db.models


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'translations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('lang', sa.String(length=2), nullable=False),
        sa.Column('source_lang', sa.String(length=2), nullable=False),
        sa.Column('source_revision_id', sa.Integer(), nullable=False),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.Column('source_texts', sa.JSON(), nullable=False),
        sa.Column('translator_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', recdraft.db.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'],
                                name=op.f('fk_translations_recommendation_id_recommendations')),
        sa.ForeignKeyConstraint(['source_revision_id'], ['revisions.id'],
                                name=op.f('fk_translations_source_revision_id_revisions')),
        sa.ForeignKeyConstraint(['translator_id'], ['users.id'], name=op.f('fk_translations_translator_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_translations')),
    )
    op.create_index('ix_translations_recommendation_lang', 'translations', ['recommendation_id', 'lang'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_translations_recommendation_lang', table_name='translations')
    op.drop_table('translations')
