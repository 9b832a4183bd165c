"""subscribers choose per topic (mode, silence, own digest time), mute sources and pause; messages carry buttons

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    moment = storage.models.UTCDateTime(timezone=True)
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("mode", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("silent", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("digest_since", moment, nullable=True))
    # Each topic's last digest is its chat's last digest, then the chat forgets it.
    op.execute(
        "UPDATE subscriptions SET digest_since = (SELECT chats.digest_since FROM chats WHERE chats.id = subscriptions.chat_pk)"
    )
    with op.batch_alter_table("subscriptions") as batch:
        batch.alter_column("digest_since", existing_type=moment, nullable=False)
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("paused_at", moment, nullable=True))
        batch.drop_column("digest_since")
    op.create_table(
        "muted_sources",
        sa.Column("chat_pk", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_pk"], ["chats.id"], name=op.f("fk_muted_sources_chat_pk_chats"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_muted_sources_source_id_sources"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("chat_pk", "source_id", name=op.f("pk_muted_sources")),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("buttons", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("silent", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("title", sa.String(length=300), nullable=True))


def downgrade() -> None:
    moment = storage.models.UTCDateTime(timezone=True)
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("title")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("silent")
        batch.drop_column("buttons")
    op.drop_table("muted_sources")
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("digest_since", moment, nullable=True))
        batch.drop_column("paused_at")
    op.execute(
        "UPDATE chats SET digest_since = COALESCE((SELECT MAX(subscriptions.digest_since) FROM subscriptions "
        "WHERE subscriptions.chat_pk = chats.id), chats.created_at)"
    )
    with op.batch_alter_table("chats") as batch:
        batch.alter_column("digest_since", existing_type=moment, nullable=False)
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("digest_since")
        batch.drop_column("silent")
        batch.drop_column("mode")
