"""Tickets and the email and fax intake: raw intake items, tickets, their messages and
attachments, fax documents, outgoing mail (receipts and replies).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 12:16:18.720829
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import ivr.db


revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('web_number', sa.String(length=20), nullable=True),
    sa.Column('contact_address', sa.String(length=320), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('due_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_tickets_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets')),
    sa.UniqueConstraint('number', name=op.f('uq_tickets_number'))
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tickets_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_tickets_open_due', ['status', 'due_at'], unique=False)

    op.create_table('intake_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('received_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('content_type', sa.String(length=200), nullable=True),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.Column('meta', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_intake_items_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_items'))
    )
    with op.batch_alter_table('intake_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_items_external_id'), ['external_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_items_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_items_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_items_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('outgoing_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('message_id', sa.String(length=300), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', ivr.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_outgoing_mails_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mails'))
    )
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.create_index('ix_outgoing_mails_recipient_created', ['recipient', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_mails_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_mails_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('fax_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intake_item_id', sa.Integer(), nullable=False),
    sa.Column('sender', sa.String(length=40), nullable=True),
    sa.Column('recipient', sa.String(length=40), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('declared_pages', sa.Integer(), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('preview_png', sa.LargeBinary(), nullable=True),
    sa.Column('problem', sa.String(length=300), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['intake_item_id'], ['intake_items.id'], name=op.f('fk_fax_documents_intake_item_id_intake_items')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_fax_documents_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fax_documents')),
    sa.UniqueConstraint('intake_item_id', name=op.f('uq_fax_documents_intake_item_id'))
    )
    with op.batch_alter_table('fax_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fax_documents_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('ticket_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('at', ivr.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('author', sa.String(length=320), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=True),
    sa.Column('message_id', sa.String(length=300), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('intake_item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['intake_item_id'], ['intake_items.id'], name=op.f('fk_ticket_messages_intake_item_id_intake_items')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_messages_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_messages'))
    )
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_messages_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_messages_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['ticket_messages.id'], name=op.f('fk_attachments_message_id_ticket_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_message_id'), ['message_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_message_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_messages_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_ticket_messages_message_id'))

    op.drop_table('ticket_messages')
    with op.batch_alter_table('fax_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fax_documents_ticket_id'))

    op.drop_table('fax_documents')
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_mails_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_outgoing_mails_status'))
        batch_op.drop_index('ix_outgoing_mails_recipient_created')

    op.drop_table('outgoing_mails')
    with op.batch_alter_table('intake_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_items_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_intake_items_status'))
        batch_op.drop_index(batch_op.f('ix_intake_items_received_at'))
        batch_op.drop_index(batch_op.f('ix_intake_items_external_id'))

    op.drop_table('intake_items')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_open_due')
        batch_op.drop_index(batch_op.f('ix_tickets_customer_id'))

    op.drop_table('tickets')
