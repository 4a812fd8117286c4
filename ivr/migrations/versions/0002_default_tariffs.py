"""The support page's prices as the shipped default tariffs.

0,45 EUR/min from landlines, at most 0,90 EUR/min from mobile networks, incl. 19 % VAT,
charged per started minute (60/60).

Revision ID: 0002
Revises: 0001
"""
import datetime as dt
from decimal import Decimal
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import ivr.db

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TARIFFS = sa.table(
    "tariffs",
    sa.column("name", sa.String),
    sa.column("line_type", sa.String),
    sa.column("price_per_minute", ivr.db.Money()),
    sa.column("vat_rate", ivr.db.Money()),
    sa.column("first_step_seconds", sa.Integer),
    sa.column("step_seconds", sa.Integer),
    sa.column("valid_from", ivr.db.UTCDateTime()),
)
VALID_FROM = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def upgrade() -> None:
    op.bulk_insert(
        TARIFFS,
        [
            {"name": "support-page-fixed", "line_type": "fixed",
             "price_per_minute": Decimal("0.45"), "vat_rate": Decimal("0.19"),
             "first_step_seconds": 60, "step_seconds": 60, "valid_from": VALID_FROM},
            {"name": "support-page-mobile", "line_type": "mobile",
             "price_per_minute": Decimal("0.90"), "vat_rate": Decimal("0.19"),
             "first_step_seconds": 60, "step_seconds": 60, "valid_from": VALID_FROM},
        ],
    )


def downgrade() -> None:
    op.execute(
        TARIFFS.delete().where(
            TARIFFS.c.name.in_(["support-page-fixed", "support-page-mobile"])
        )
    )
