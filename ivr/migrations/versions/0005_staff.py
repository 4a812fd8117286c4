"""Staff accounts with their agent status; calls get their agent, answer and talk times.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 12:17:08
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import ivr.db


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_reason', sa.String(length=100), nullable=True),
    sa.Column('status_since', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('wrap_up_until', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_username'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_status'), ['status'], unique=False)

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queued_since', ivr.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('agent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('agent_offered_at', ivr.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('answered_at', ivr.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('talk_seconds', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_calls_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_answered_at'), ['answered_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_calls_agent_id_staff'), 'staff', ['agent_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_calls_agent_id_staff'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_calls_answered_at'))
        batch_op.drop_index(batch_op.f('ix_calls_agent_id'))
        batch_op.drop_column('talk_seconds')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('agent_offered_at')
        batch_op.drop_column('agent_id')
        batch_op.drop_column('queued_since')

    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_status'))

    op.drop_table('staff')
