"""languages: /lang choices, topic titles per language, pause reasons stored as codes

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "language_choices",
        sa.Column("telegram_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("chosen_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("telegram_id", name=op.f("pk_language_choices")),
    )
    op.create_table(
        "topic_titles",
        sa.Column("topic_id", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name=op.f("fk_topic_titles_topic_id_topics"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("topic_id", "language", name=op.f("pk_topic_titles")),
    )
    # Pause reasons were English sentences; they become the codes the bot words in each language.
    op.execute("UPDATE sources SET paused_reason = 'failures' WHERE paused_reason LIKE 'paused after %'")
    op.execute("UPDATE sources SET paused_reason = 'config' WHERE paused_reason = 'paused in the configuration'")
    op.execute(
        "UPDATE sources SET paused_reason = 'admin:' || substr(paused_reason, 11) WHERE paused_reason LIKE 'paused by %'"
    )


def downgrade() -> None:
    op.drop_table("topic_titles")
    op.drop_table("language_choices")
