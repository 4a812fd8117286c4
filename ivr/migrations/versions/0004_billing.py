"""Billing: the audit of charge records replaced by re-rating.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 12:18:36.001926
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import ivr.db


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('charge_record_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('charge_record_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cause', sa.String(length=64), nullable=False),
    sa.Column('tariff_id', sa.Integer(), nullable=True),
    sa.Column('tariff_name', sa.String(length=64), nullable=True),
    sa.Column('line_type', sa.String(length=16), nullable=False),
    sa.Column('line_type_flagged', sa.Boolean(), nullable=False),
    sa.Column('billable_seconds', sa.Integer(), nullable=False),
    sa.Column('billed_units', sa.Integer(), nullable=False),
    sa.Column('price_per_minute', ivr.db.Money(precision=12, scale=4), nullable=False),
    sa.Column('net', ivr.db.Money(precision=12, scale=4), nullable=False),
    sa.Column('vat', ivr.db.Money(precision=12, scale=4), nullable=False),
    sa.Column('gross', ivr.db.Money(precision=12, scale=4), nullable=False),
    sa.Column('zero_reason', sa.String(length=120), nullable=True),
    sa.Column('rated_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['charge_record_id'], ['charge_records.id'], name=op.f('fk_charge_record_changes_charge_record_id_charge_records')),
    sa.ForeignKeyConstraint(['tariff_id'], ['tariffs.id'], name=op.f('fk_charge_record_changes_tariff_id_tariffs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charge_record_changes'))
    )
    with op.batch_alter_table('charge_record_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_charge_record_changes_charge_record_id'), ['charge_record_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('charge_record_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_charge_record_changes_charge_record_id'))

    op.drop_table('charge_record_changes')
