"""Activation by phone: lock-out fields, the record of activations, failed passwords.

Revision ID: 0003
Revises: 0002
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import ivr.db

revision: str = "0003"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("web_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("activation_call_sid", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("activation_caller", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("failed_passwords", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("lockouts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("locked_until", ivr.db.UTCDateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flow_data", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "activation_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", ivr.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("caller", sa.String(length=40), nullable=True),
        sa.Column("call_sid", sa.String(length=64), nullable=False),
        sa.Column("web_account_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["web_account_id"], ["web_accounts.id"],
                                name=op.f("fk_activation_failures_web_account_id_web_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activation_failures")),
    )
    with op.batch_alter_table("activation_failures", schema=None) as batch_op:
        batch_op.create_index("ix_activation_failures_caller_at", ["caller", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_activation_failures_web_account_id"),
                              ["web_account_id"], unique=False)


def downgrade() -> None:
    op.drop_table("activation_failures")
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("flow_data")
    with op.batch_alter_table("web_accounts", schema=None) as batch_op:
        for column in ("locked_until", "lockouts", "failed_passwords", "activation_caller",
                       "activation_call_sid"):
            batch_op.drop_column(column)
