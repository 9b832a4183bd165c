"""what each chat received, so nothing is sent it twice, and the stories a capped message left out

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    moment = storage.models.UTCDateTime(timezone=True)
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "deliveries",
        sa.Column("chat_pk", sa.Integer(), nullable=False),
        sa.Column("item_id", big_id, nullable=False),
        sa.Column("delivered_at", moment, nullable=False),
        sa.ForeignKeyConstraint(["chat_pk"], ["chats.id"], name=op.f("fk_deliveries_chat_pk_chats"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_deliveries_item_id_items"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("chat_pk", "item_id", name=op.f("pk_deliveries")),
    )
    op.create_index(op.f("ix_deliveries_delivered_at"), "deliveries", ["delivered_at"])
    op.create_table(
        "overflows",
        sa.Column("id", big_id, nullable=False),
        sa.Column("topic_id", sa.String(length=64), nullable=False),
        sa.Column("item_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overflows")),
    )
    op.create_index(op.f("ix_overflows_created_at"), "overflows", ["created_at"])


def downgrade() -> None:
    op.drop_table("overflows")
    op.drop_table("deliveries")
