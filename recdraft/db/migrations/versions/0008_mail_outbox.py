"""issue 13, outgoing mail, outbox, preferences

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import recdraft.db.models


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mail_addresses',
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('bounced_at', recdraft.db.models.UTCDateTime(), nullable=True),
    sa.Column('bounce_reason', sa.Text(), nullable=False),
    sa.Column('unsubscribed_at', recdraft.db.models.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('email', name=op.f('pk_mail_addresses'))
    )
    op.create_table('mail_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('updated_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.CheckConstraint("mode IN ('now', 'digest', 'off')", name=op.f('ck_mail_preferences_mode')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_preferences_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_mail_preferences'))
    )
    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('to_addr', sa.String(length=320), nullable=False),
    sa.Column('to_name', sa.String(length=200), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('link', sa.Text(), nullable=False),
    sa.Column('unsubscribe_url', sa.Text(), nullable=False),
    sa.Column('secret', sa.Boolean(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', recdraft.db.models.UTCDateTime(), nullable=False),
    sa.Column('claimed_until', recdraft.db.models.UTCDateTime(), nullable=True),
    sa.Column('claim', sa.String(length=32), nullable=True),
    sa.Column('sent_at', recdraft.db.models.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed', 'digest', 'digested', 'dropped')",
                       name=op.f('ck_mail_outbox_status')),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_mail_outbox_comment_id_comments')),
    sa.ForeignKeyConstraint(['digest_id'], ['mail_outbox.id'], name=op.f('fk_mail_outbox_digest_id_mail_outbox')),
    sa.ForeignKeyConstraint(['roundtable_id'], ['roundtables.id'],
                            name=op.f('fk_mail_outbox_roundtable_id_roundtables')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_outbox_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_mail_outbox_dedupe_key'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_mail_outbox_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_mail_outbox_user_id_status', ['user_id', 'status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_outbox_user_id_status')
        batch_op.drop_index('ix_mail_outbox_status_next_attempt_at')
    op.drop_table('mail_outbox')
    op.drop_table('mail_preferences')
    op.drop_table('mail_addresses')
