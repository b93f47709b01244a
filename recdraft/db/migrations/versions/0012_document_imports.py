"""issue 16, documents imported as first drafts (renumber after 0011 at merge)

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-01 15:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import recdraft.db.models


revision = '0012'
down_revision = '0010'  # 0011 is reserved for the "content" helper: chain on it when both are merged
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One row per file imported into a roundtable; the same file (by its SHA-256) is imported once.
    op.create_table('document_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('imported_by', sa.Integer(), nullable=True),
    sa.Column('imported_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['imported_by'], ['users.id'], name=op.f('fk_document_imports_imported_by_users')),
    sa.ForeignKeyConstraint(['roundtable_id'], ['roundtables.id'],
                            name=op.f('fk_document_imports_roundtable_id_roundtables')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_imports')),
    sa.UniqueConstraint('roundtable_id', 'content_hash', name=op.f('uq_document_imports_roundtable_id_content_hash'))
    )
    with op.batch_alter_table('document_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_imports_roundtable_id'), ['roundtable_id'], unique=False)
    # Which recommendation came from which item(s) of the file: the provenance in its history.
    op.create_table('imported_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('source_items', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['document_imports.id'],
                            name=op.f('fk_imported_items_import_id_document_imports')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'],
                            name=op.f('fk_imported_items_recommendation_id_recommendations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_items')),
    sa.UniqueConstraint('recommendation_id', name=op.f('uq_imported_items_recommendation_id'))
    )
    with op.batch_alter_table('imported_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imported_items_import_id'), ['import_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('imported_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_items_import_id'))
    op.drop_table('imported_items')
    with op.batch_alter_table('document_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_imports_roundtable_id'))
    op.drop_table('document_imports')
