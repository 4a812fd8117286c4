"""Jobs that Redis could not take, kept until a worker relays them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 15:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import ivr.db


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('pending_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('function', sa.String(length=200), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('job_id', sa.String(length=200), nullable=True),
    sa.Column('retry_seconds', sa.JSON(), nullable=False),
    sa.Column('run_at', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_jobs'))
    )


def downgrade() -> None:
    op.drop_table('pending_jobs')
