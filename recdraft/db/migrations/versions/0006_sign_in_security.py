"""sign-in security (issue 11): bounded failed sign-in records, browser-bound claim codes in the database

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import recdraft.db.models


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


# Older versions wrote one audit row per failed sign-in, with the typed user name for unknown names
# (sometimes a password typed into the wrong field). Those names are removed; the rows stay as a record.
_audit = sa.table("audit_events", sa.column("action", sa.String), sa.column("object_id", sa.Integer),
                  sa.column("details", sa.JSON))


def upgrade() -> None:
    op.execute(_audit.update()
               .where(_audit.c.action == "auth.sign_in_failed", _audit.c.object_id.is_(None))
               .values(details={}))
    op.create_table('sign_in_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.Column('name_key', sa.String(length=8), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures'))
    )
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_failures_at'), ['at'], unique=False)
        batch_op.create_index('ix_sign_in_failures_name_key_at', ['name_key', 'at'], unique=False)
        batch_op.create_index('ix_sign_in_failures_source_at', ['source', 'at'], unique=False)

    op.create_table('browser_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=8), nullable=False),
    sa.Column('browser_hash', sa.String(length=64), nullable=False),
    sa.Column('sealed_token', sa.String(length=128), nullable=False),
    sa.Column('created_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.Column('expires_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_browser_claims')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_browser_claims_code_hash'))
    )
    with op.batch_alter_table('browser_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_browser_claims_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('browser_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_browser_claims_expires_at'))
    op.drop_table('browser_claims')
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_in_failures_source_at')
        batch_op.drop_index('ix_sign_in_failures_name_key_at')
        batch_op.drop_index(batch_op.f('ix_sign_in_failures_at'))
    op.drop_table('sign_in_failures')
