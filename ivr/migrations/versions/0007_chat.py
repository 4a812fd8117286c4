"""The support chat: its messages (public or private to one customer) and staff presence.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 12:33:35
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import ivr.db


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('chat_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sent_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('customer_number', sa.String(length=20), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=80), nullable=False),
    sa.Column('private_for', sa.String(length=20), nullable=True),
    sa.Column('reply_to_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['reply_to_id'], ['chat_messages.id'], name=op.f('fk_chat_messages_reply_to_id_chat_messages')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_chat_messages_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_messages'))
    )
    with op.batch_alter_table('chat_messages', schema=None) as batch_op:
        batch_op.create_index('ix_chat_messages_customer_sent', ['customer_number', 'sent_at'], unique=False)
        batch_op.create_index('ix_chat_messages_private_for_id', ['private_for', 'id'], unique=False)

    op.create_table('chat_presence',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('available', sa.Boolean(), nullable=False),
    sa.Column('seen_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_chat_presence_staff_id_staff')),
    sa.PrimaryKeyConstraint('staff_id', name=op.f('pk_chat_presence'))
    )
    with op.batch_alter_table('chat_presence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_presence_seen_at'), ['seen_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('chat_presence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_presence_seen_at'))

    op.drop_table('chat_presence')
    with op.batch_alter_table('chat_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_chat_messages_private_for_id')
        batch_op.drop_index('ix_chat_messages_customer_sent')

    op.drop_table('chat_messages')