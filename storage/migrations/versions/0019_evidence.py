"""evidence: items keep their full text, every version and their deletion; change alerts per subscription

Revision ID: 0019
Revises: 0018

The search index tags edited and deleted items (xedited, xdeleted) for /search is:edited and
is:deleted: the tag computation of 0002 gains them, and a trigger on items re-tags an item when it
is marked edited or deleted.
"""
import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_FLAGS_SQLITE = """coalesce((
        SELECT trim(CASE WHEN edited THEN 'xedited' ELSE '' END
            || ' ' || CASE WHEN deleted_at IS NOT NULL THEN 'xdeleted' ELSE '' END)
        FROM items WHERE id = {item}), '')"""
_TAGS_SQLITE = """trim(coalesce('l' || lang, '') || ' ' || coalesce((
        SELECT group_concat(tag, ' ') FROM (
            SELECT DISTINCT 's' || source_id AS tag FROM item_sources WHERE item_id = {item})), '')
    || ' ' || coalesce((
        SELECT group_concat('t' || lower(hex(topic_id)), ' ') FROM matches WHERE item_id = {item}), '')
    || ' ' || """ + _FLAGS_SQLITE + """)"""
_OLD_TAGS_SQLITE = """trim(coalesce('l' || lang, '') || ' ' || coalesce((
        SELECT group_concat(tag, ' ') FROM (
            SELECT DISTINCT 's' || source_id AS tag FROM item_sources WHERE item_id = {item})), '')
    || ' ' || coalesce((
        SELECT group_concat('t' || lower(hex(topic_id)), ' ') FROM matches WHERE item_id = {item}), ''))"""
_RETAGGED = (("item_sources", "insert", "new"), ("item_sources", "delete", "old"), ("matches", "insert", "new"),
             ("matches", "delete", "old"))


def _sqlite_retag(table: str, event: str, row: str, tags: str) -> str:
    return f"""CREATE TRIGGER {table}_retag_{event} AFTER {event.upper()} ON {table} BEGIN
        UPDATE item_search SET tags = {tags.format(item=f"{row}.item_id")}
        WHERE item_id = {row}.item_id;
    END"""


_ITEMS_RETAG_SQLITE = f"""CREATE TRIGGER items_retag_flags AFTER UPDATE OF edited, deleted_at ON items BEGIN
        UPDATE item_search SET tags = {_TAGS_SQLITE.format(item="new.id")} WHERE item_id = new.id;
    END"""
_TAGS_POSTGRES = """CREATE OR REPLACE FUNCTION item_search_tags(target BIGINT) RETURNS TSVECTOR LANGUAGE sql STABLE AS $$
        SELECT array_to_tsvector(
            ARRAY(SELECT 'l' || lang FROM item_search WHERE item_id = target AND lang IS NOT NULL)
            || ARRAY(SELECT DISTINCT 's' || source_id FROM item_sources WHERE item_id = target)
            || ARRAY(SELECT 't' || encode(convert_to(topic_id, 'UTF8'), 'hex') FROM matches WHERE item_id = target)
            || ARRAY(SELECT 'xedited' FROM items WHERE id = target AND edited)
            || ARRAY(SELECT 'xdeleted' FROM items WHERE id = target AND deleted_at IS NOT NULL))
    $$"""
_OLD_TAGS_POSTGRES = """CREATE OR REPLACE FUNCTION item_search_tags(target BIGINT) RETURNS TSVECTOR LANGUAGE sql STABLE AS $$
        SELECT array_to_tsvector(
            ARRAY(SELECT 'l' || lang FROM item_search WHERE item_id = target AND lang IS NOT NULL)
            || ARRAY(SELECT DISTINCT 's' || source_id FROM item_sources WHERE item_id = target)
            || ARRAY(SELECT 't' || encode(convert_to(topic_id, 'UTF8'), 'hex') FROM matches WHERE item_id = target))
    $$"""
_ITEMS_RETAG_POSTGRES = [
    """CREATE FUNCTION item_search_retag_item() RETURNS TRIGGER LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE item_search SET tags = item_search_tags(NEW.id)
        WHERE item_id = NEW.id AND tags IS DISTINCT FROM item_search_tags(NEW.id);
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER items_retag_flags AFTER UPDATE OF edited, deleted_at ON items
        FOR EACH ROW EXECUTE FUNCTION item_search_retag_item()""",
]


def upgrade() -> None:
    moment = storage.models.UTCDateTime(timezone=True)
    # Plain ALTER TABLE ADD COLUMN: a batch copy of `items` would cascade-delete its matches on SQLite.
    for table, column in _new_columns(moment):
        op.add_column(table, column)
    op.create_index(op.f("ix_items_recheck_at"), "items", ["recheck_at"], unique=False)
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "item_versions",
        sa.Column("id", big_id, nullable=False),
        sa.Column("item_id", big_id, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("full_text", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("first_seen", moment, nullable=False),
        sa.Column("last_seen", moment, nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_item_versions_item_id_items"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_versions")),
    )
    op.create_index(op.f("ix_item_versions_item_id"), "item_versions", ["item_id"], unique=False)
    op.create_table(
        "item_events",
        sa.Column("id", big_id, nullable=False),
        sa.Column("item_id", big_id, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("at", moment, nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_item_events_item_id_items"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_events")),
    )
    op.create_index(op.f("ix_item_events_item_id"), "item_events", ["item_id"], unique=False)
    _retag(_TAGS_SQLITE, _TAGS_POSTGRES)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_ITEMS_RETAG_SQLITE)
    else:
        for statement in _ITEMS_RETAG_POSTGRES:
            op.execute(statement)


def _new_columns(moment) -> list[tuple[str, sa.Column]]:
    return [
        ("sources", sa.Column("full_text", sa.String(length=10), server_default="auto", nullable=False)),
        ("sources", sa.Column("extracted", sa.Integer(), server_default="0", nullable=False)),
        ("sources", sa.Column("extract_failures", sa.Integer(), server_default="0", nullable=False)),
        ("sources", sa.Column("last_extract_error", sa.Text(), nullable=True)),
        ("sources", sa.Column("last_extract_at", moment, nullable=True)),
        ("items", sa.Column("full_text", sa.Text(), nullable=True)),
        ("items", sa.Column("extract_error", sa.Text(), nullable=True)),
        ("items", sa.Column("version_since", moment, nullable=True)),
        ("items", sa.Column("last_seen_at", moment, nullable=True)),
        ("items", sa.Column("edited", sa.Boolean(), server_default=sa.false(), nullable=False)),
        ("items", sa.Column("edit_count", sa.Integer(), server_default="0", nullable=False)),
        ("items", sa.Column("deleted_at", moment, nullable=True)),
        ("items", sa.Column("deleted_reason", sa.String(length=40), nullable=True)),
        ("items", sa.Column("deleted_evidence", sa.Text(), nullable=True)),
        ("items", sa.Column("recheck_at", moment, nullable=True)),
        ("items", sa.Column("rechecks", sa.Integer(), server_default="0", nullable=False)),
        ("items", sa.Column("page_etag", sa.String(length=500), nullable=True)),
        ("items", sa.Column("page_last_modified", sa.String(length=200), nullable=True)),
        ("item_sources", sa.Column("fingerprint", sa.String(length=64), nullable=True)),
        ("chats", sa.Column("changes_alerted_through", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                            server_default="0", nullable=False)),
        ("subscriptions", sa.Column("change_alerts", sa.Boolean(), server_default=sa.false(), nullable=False)),
    ]


def _retag(sqlite_tags: str, postgres_function: str) -> None:
    """Compute the index's tags as `sqlite_tags` / `postgres_function` say from now on."""
    if op.get_bind().dialect.name != "sqlite":
        op.execute(postgres_function)
        return
    for table, event, row in _RETAGGED:
        op.execute(f"DROP TRIGGER {table}_retag_{event}")
        op.execute(_sqlite_retag(table, event, row, sqlite_tags))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER items_retag_flags")
    else:
        op.execute("DROP TRIGGER items_retag_flags ON items")
        op.execute("DROP FUNCTION item_search_retag_item()")
    _retag(_OLD_TAGS_SQLITE, _OLD_TAGS_POSTGRES)
    op.drop_table("item_events")
    op.drop_table("item_versions")
    op.drop_index(op.f("ix_items_recheck_at"), table_name="items")
    for table, column in reversed(_new_columns(storage.models.UTCDateTime(timezone=True))):
        op.drop_column(table, column.name)  # SQLite 3.35+ drops a column in place
