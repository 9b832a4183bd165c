"""Telegram channels keep how far they are stored and where paging back through their history stands

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_cursors",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("newest_post", sa.BigInteger(), nullable=True),
        sa.Column("before", sa.BigInteger(), nullable=True),
        sa.Column("floor", sa.BigInteger(), nullable=True),
        sa.Column("backlog", sa.Boolean(), nullable=False),
        sa.Column("started_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("stop_reason", sa.String(length=20), nullable=True),
        sa.Column("paged", sa.Integer(), nullable=False),
        sa.Column("recovered", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_channel_cursors_source_id_sources"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_channel_cursors")),
    )


def downgrade() -> None:
    op.drop_table("channel_cursors")
