"""issue 18, everyday friction: amendments numbered per recommendation

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_amendments = sa.table("amendments", sa.column("id", sa.Integer), sa.column("recommendation_id", sa.Integer),
                       sa.column("created_at", sa.DateTime), sa.column("number", sa.Integer))


def upgrade() -> None:
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))
    # Existing amendments get 1, 2, ... within their recommendation, in the order they were created.
    conn = op.get_bind()
    rows = conn.execute(sa.select(_amendments.c.id, _amendments.c.recommendation_id)
                        .order_by(_amendments.c.recommendation_id, _amendments.c.created_at, _amendments.c.id)).all()
    counters: dict[int, int] = {}
    for amendment_id, rec_id in rows:
        counters[rec_id] = counters.get(rec_id, 0) + 1
        conn.execute(_amendments.update().where(_amendments.c.id == amendment_id).values(number=counters[rec_id]))
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.alter_column('number', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_amendments_recommendation_id_number'),
                                          ['recommendation_id', 'number'])


def downgrade() -> None:
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_amendments_recommendation_id_number'), type_='unique')
        batch_op.drop_column('number')
