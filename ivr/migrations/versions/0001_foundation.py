"""Foundation: customers, web accounts, calls, events, status callbacks, notices, tariffs,
charge records.

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 12:04:20.851000
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import ivr.db


revision: str = '0001'
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_number', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('created_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('customer_number', name=op.f('uq_customers_customer_number'))
    )
    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text_de', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=True),
    sa.Column('starts_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index('ix_notices_active', ['starts_at', 'ends_at'], unique=False)

    op.create_table('status_callbacks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=False),
    sa.Column('call_status', sa.String(length=16), nullable=False),
    sa.Column('sequence_number', sa.Integer(), nullable=False),
    sa.Column('received_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_callbacks')),
    sa.UniqueConstraint('call_sid', 'call_status', 'sequence_number', name='uq_status_callback')
    )
    with op.batch_alter_table('status_callbacks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_callbacks_call_sid'), ['call_sid'], unique=False)

    op.create_table('tariffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('line_type', sa.String(length=16), nullable=True),
    sa.Column('price_digit', sa.Integer(), nullable=True),
    sa.Column('price_per_minute', ivr.db.Money(precision=12, scale=4), nullable=False),
    sa.Column('vat_rate', ivr.db.Money(precision=12, scale=4), nullable=False),
    sa.Column('first_step_seconds', sa.Integer(), nullable=False),
    sa.Column('step_seconds', sa.Integer(), nullable=False),
    sa.Column('cap_per_call', ivr.db.Money(precision=12, scale=4), nullable=True),
    sa.Column('valid_from', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('valid_until', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariffs'))
    )
    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=False),
    sa.Column('caller', sa.String(length=40), nullable=True),
    sa.Column('line_type', sa.String(length=16), nullable=False),
    sa.Column('called', sa.String(length=40), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('intent', sa.String(length=32), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('started_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('announced_at', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('charging_started_at', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('enqueued_at', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('queue_free_announced_at', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('left_queue_at', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('queue_result', sa.String(length=32), nullable=True),
    sa.Column('queue_seconds', sa.Integer(), nullable=True),
    sa.Column('ended_at', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_calls_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls')),
    sa.UniqueConstraint('call_sid', name=op.f('uq_calls_call_sid'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_left_queue_at'), ['left_queue_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_started_at'), ['started_at'], unique=False)

    op.create_table('web_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('web_number', sa.String(length=20), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=253), nullable=False),
    sa.Column('keypad_signature', sa.String(length=253), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('activation_password_hash', sa.String(length=200), nullable=True),
    sa.Column('activated_at', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_web_accounts_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_accounts')),
    sa.UniqueConstraint('web_number', name=op.f('uq_web_accounts_web_number'))
    )
    with op.batch_alter_table('web_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_accounts_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_web_accounts_keypad_signature'), ['keypad_signature'], unique=False)

    op.create_table('call_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_events_call_id_calls')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_events'))
    )
    with op.batch_alter_table('call_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_events_call_id'), ['call_id'], unique=False)

    op.create_table('charge_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
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
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_charge_records_call_id_calls')),
    sa.ForeignKeyConstraint(['tariff_id'], ['tariffs.id'], name=op.f('fk_charge_records_tariff_id_tariffs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charge_records')),
    sa.UniqueConstraint('call_id', name=op.f('uq_charge_records_call_id'))
    )


def downgrade() -> None:
    op.drop_table('charge_records')
    with op.batch_alter_table('call_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_events_call_id'))

    op.drop_table('call_events')
    with op.batch_alter_table('web_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_accounts_keypad_signature'))
        batch_op.drop_index(batch_op.f('ix_web_accounts_customer_id'))

    op.drop_table('web_accounts')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_started_at'))
        batch_op.drop_index(batch_op.f('ix_calls_left_queue_at'))
        batch_op.drop_index(batch_op.f('ix_calls_customer_id'))

    op.drop_table('calls')
    op.drop_table('tariffs')
    with op.batch_alter_table('status_callbacks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_callbacks_call_sid'))

    op.drop_table('status_callbacks')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_active')

    op.drop_table('notices')
    op.drop_table('customers')
