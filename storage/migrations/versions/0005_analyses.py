"""analyses, their citations and their links to items

Revision ID: 0005
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MOMENT = storage.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "analyses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("canonical_url", sa.String(length=2000), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published_at", MOMENT, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("item_id", BIG_ID, nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_analyses_item_id_items"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analyses")),
        sa.UniqueConstraint("canonical_url", name=op.f("uq_analyses_canonical_url")),
        sa.UniqueConstraint("item_id", name=op.f("uq_analyses_item_id")),
    )
    op.create_index(op.f("ix_analyses_published_at"), "analyses", ["published_at"])
    op.create_table(
        "analysis_citations",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("analysis_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("canonical_url", sa.String(length=2000), nullable=False),
        sa.Column("item_id", BIG_ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["analysis_id"], ["analyses.id"], name=op.f("fk_analysis_citations_analysis_id_analyses"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_analysis_citations_item_id_items"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_citations")),
    )
    op.create_index(op.f("ix_analysis_citations_analysis_id"), "analysis_citations", ["analysis_id"])
    op.create_index(op.f("ix_analysis_citations_canonical_url"), "analysis_citations", ["canonical_url"])
    op.create_index(op.f("ix_analysis_citations_item_id"), "analysis_citations", ["item_id"])
    op.create_table(
        "analysis_links",
        sa.Column("analysis_id", sa.Integer(), nullable=False),
        sa.Column("item_id", BIG_ID, nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(length=10), nullable=False),
        sa.Column("linked_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["analysis_id"], ["analyses.id"], name=op.f("fk_analysis_links_analysis_id_analyses"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_analysis_links_item_id_items"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("analysis_id", "item_id", name=op.f("pk_analysis_links")),
    )
    op.create_index("ix_analysis_links_item", "analysis_links", ["item_id", "score"])


def downgrade() -> None:
    op.drop_table("analysis_links")
    op.drop_table("analysis_citations")
    op.drop_table("analyses")
