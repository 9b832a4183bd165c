"""stories, source labels, narratives, and the subscribers' opt-in to spike and shift alerts

Stories group the items about one event (story_members: an item's place; story_keys and
story_key_counts: how candidates are found and weighted). Existing items are grouped by the
collector after the upgrade, a batch at a time, or at once with `dozor stories regroup`.
Sources get a label; topics a kind ("topic" or "narrative"); chats two opt-in flags; and
signals_sent records each spike or shift announced.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# The default sources' labels when this was written (feeds/data/sources.json and SOURCES.md say why).
DEFAULT_LABELS = {
    "https://www.inform.kz/rss/rus.xml": "state-kz",
    "https://rssexport.rbc.ru/rbcnews/news/30/full.rss": "ru-private",
    "https://rss.dw.com/xml/rss-ru-all": "international",
    "https://rus.azattyk.org/api/z-$gpieey_o_": "international",
    "https://www.liga.net/news/all/rss.xml": "ua",
    "https://www.vb.kg/rss.xml": "independent",
    "https://www.gazeta.uz/ru/rss/": "independent",
    "http://russian.news.cn/rss/news.xml": "state-cn",
    "https://informnapalm.org/feed/": "analysis",
    "https://t.me/s/voenkorKotenok": "ru-milblog",
}
WHEN = storage.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("first_item_id", BIG_ID, nullable=True),
        sa.Column("first_seen_at", WHEN, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["first_item_id"], ["items.id"], name=op.f("fk_stories_first_item_id_items"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    op.create_index(op.f("ix_stories_first_seen_at"), "stories", ["first_seen_at"])
    op.create_table(
        "story_members",
        sa.Column("item_id", BIG_ID, nullable=False),
        sa.Column("story_id", BIG_ID, nullable=False),
        sa.Column("published_at", WHEN, nullable=False),
        sa.Column("title_key", sa.Text(), nullable=False),
        sa.Column("names", sa.Text(), nullable=False),
        sa.Column("concepts", sa.Text(), nullable=False),
        sa.Column("name_norm", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_story_members_item_id_items"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], name=op.f("fk_story_members_story_id_stories"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_story_members")),
    )
    op.create_index(op.f("ix_story_members_story_id"), "story_members", ["story_id"])
    op.create_table(
        "story_keys",
        sa.Column("key", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("item_id", BIG_ID, nullable=False),
        sa.Column("published_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_story_keys_item_id_items"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", "item_id", name=op.f("pk_story_keys")),
    )
    op.create_index("ix_story_keys_key_published", "story_keys", ["key", "published_at"])
    op.create_index("ix_story_keys_item", "story_keys", ["item_id"])
    op.create_table(
        "story_key_counts",
        sa.Column("key", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "day", name=op.f("pk_story_key_counts")),
    )
    op.create_table(
        "signals_sent",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("topic_id", sa.String(length=64), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_signals_sent")),
    )
    op.create_index(op.f("ix_signals_sent_topic_id"), "signals_sent", ["topic_id"])
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("label", sa.String(length=32), nullable=True))
    sources = sa.table("sources", sa.column("url", sa.String), sa.column("label", sa.String))
    for url, label in DEFAULT_LABELS.items():
        op.get_bind().execute(sources.update().where(sources.c.url == url, sources.c.label.is_(None)).values(label=label))
    with op.batch_alter_table("topics") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=16), nullable=False, server_default="topic"))
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("spike_alerts", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("shift_alerts", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("shift_alerts")
        batch.drop_column("spike_alerts")
    with op.batch_alter_table("topics") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("label")
    for table in ("signals_sent", "story_key_counts", "story_keys", "story_members", "stories"):
        op.drop_table(table)
