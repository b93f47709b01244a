"""issue 16, documents imported as first drafts and the draft law (renumber after 0011 at merge)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import recdraft.db.models


revision = '0011'
down_revision = '0010'
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

    # The draft law: one per roundtable, its versions, each version's language texts and their articles.
    op.create_table('draft_laws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=False),
    sa.Column('created_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['roundtable_id'], ['roundtables.id'], name=op.f('fk_draft_laws_roundtable_id_roundtables')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_laws')),
    sa.UniqueConstraint('roundtable_id', name=op.f('uq_draft_laws_roundtable_id'))
    )
    op.create_table('draft_law_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('law_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('loaded_by', sa.Integer(), nullable=True),
    sa.Column('loaded_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['law_id'], ['draft_laws.id'], name=op.f('fk_draft_law_versions_law_id_draft_laws')),
    sa.ForeignKeyConstraint(['loaded_by'], ['users.id'], name=op.f('fk_draft_law_versions_loaded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_law_versions')),
    sa.UniqueConstraint('law_id', 'number', name=op.f('uq_draft_law_versions_law_id_number'))
    )
    with op.batch_alter_table('draft_law_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_law_versions_law_id'), ['law_id'], unique=False)
    op.create_table('draft_law_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['draft_law_versions.id'],
                            name=op.f('fk_draft_law_texts_version_id_draft_law_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_law_texts')),
    sa.UniqueConstraint('version_id', 'language', name=op.f('uq_draft_law_texts_version_id_language'))
    )
    with op.batch_alter_table('draft_law_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_law_texts_version_id'), ['version_id'], unique=False)
    op.create_table('draft_law_articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('anchor', sa.String(length=64), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('chapter', sa.String(length=16), nullable=False),
    sa.Column('chapter_title', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('paragraphs', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['text_id'], ['draft_law_texts.id'],
                            name=op.f('fk_draft_law_articles_text_id_draft_law_texts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_law_articles')),
    sa.UniqueConstraint('text_id', 'anchor', name=op.f('uq_draft_law_articles_text_id_anchor'))
    )
    with op.batch_alter_table('draft_law_articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_law_articles_text_id'), ['text_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('draft_law_articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_law_articles_text_id'))
    op.drop_table('draft_law_articles')
    with op.batch_alter_table('draft_law_texts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_law_texts_version_id'))
    op.drop_table('draft_law_texts')
    with op.batch_alter_table('draft_law_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_law_versions_law_id'))
    op.drop_table('draft_law_versions')
    op.drop_table('draft_laws')
    with op.batch_alter_table('imported_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_items_import_id'))
    op.drop_table('imported_items')
    with op.batch_alter_table('document_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_imports_roundtable_id'))
    op.drop_table('document_imports')
