"""feeds that name a WebSub hub are subscribed to for pushed items

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    moment = storage.models.UTCDateTime(timezone=True)
    op.create_table(
        "websub_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("hub", sa.String(length=2000), nullable=False),
        sa.Column("topic", sa.String(length=2000), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("lease_expires_at", moment, nullable=True),
        sa.Column("requested_at", moment, nullable=True),
        sa.Column("next_attempt_at", moment, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_push_at", moment, nullable=True),
        sa.Column("missed_at", moment, nullable=True),
        sa.Column("pushes", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_websub_subscriptions_source_id_sources"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_websub_subscriptions")),
        sa.UniqueConstraint("source_id", name=op.f("uq_websub_subscriptions_source_id")),
        sa.UniqueConstraint("token", name=op.f("uq_websub_subscriptions_token")),
    )


def downgrade() -> None:
    op.drop_table("websub_subscriptions")
