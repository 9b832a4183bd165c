"""full-text search index of items

Revision ID: 0002
Revises: 0001

SQLite: item_search holds the stems and the filter tags and is the external content of the FTS5
table item_fts, kept in sync by triggers. PostgreSQL: item_search holds tsvectors of the stems
(title and text, title alone) and of the tags under one GIN index. On both, triggers on item_sources and matches re-tag an
item when it gains or loses a source or a topic, and rows follow their items on delete.
"""
from alembic import op

from storage.search.index import CREATE_GIN_INDEX, rebuild_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Tags as storage.search.index computes them: l<lang> s<source id> t<hex of the topic id>.
_SQLITE_TAGS = """trim(coalesce('l' || lang, '') || ' ' || coalesce((
        SELECT group_concat(tag, ' ') FROM (
            SELECT DISTINCT 's' || source_id AS tag FROM item_sources WHERE item_id = {item})), '')
    || ' ' || coalesce((
        SELECT group_concat('t' || lower(hex(topic_id)), ' ') FROM matches WHERE item_id = {item}), ''))"""


def _sqlite_retag(table: str, event: str, row: str) -> str:
    return f"""CREATE TRIGGER {table}_retag_{event} AFTER {event.upper()} ON {table} BEGIN
        UPDATE item_search SET tags = {_SQLITE_TAGS.format(item=f"{row}.item_id")}
        WHERE item_id = {row}.item_id;
    END"""


SQLITE = [
    """CREATE TABLE item_search (
        sort_key INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL UNIQUE REFERENCES items (id) ON DELETE CASCADE,
        lang VARCHAR(8),
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE VIRTUAL TABLE item_fts USING fts5(
        title, body, tags, content='item_search', content_rowid='sort_key',
        tokenize="unicode61 remove_diacritics 2"
    )""",
    """CREATE TRIGGER item_search_ai AFTER INSERT ON item_search BEGIN
        INSERT INTO item_fts (rowid, title, body, tags) VALUES (new.sort_key, new.title, new.body, new.tags);
    END""",
    """CREATE TRIGGER item_search_ad AFTER DELETE ON item_search BEGIN
        INSERT INTO item_fts (item_fts, rowid, title, body, tags)
        VALUES ('delete', old.sort_key, old.title, old.body, old.tags);
    END""",
    """CREATE TRIGGER item_search_au AFTER UPDATE OF tags ON item_search WHEN old.tags IS NOT new.tags BEGIN
        INSERT INTO item_fts (item_fts, rowid, title, body, tags)
        VALUES ('delete', old.sort_key, old.title, old.body, old.tags);
        INSERT INTO item_fts (rowid, title, body, tags) VALUES (new.sort_key, new.title, new.body, new.tags);
    END""",
    _sqlite_retag("item_sources", "insert", "new"),
    _sqlite_retag("item_sources", "delete", "old"),
    _sqlite_retag("matches", "insert", "new"),
    _sqlite_retag("matches", "delete", "old"),
]
POSTGRESQL = [
    """CREATE TABLE item_search (
        sort_key BIGINT PRIMARY KEY,
        item_id BIGINT NOT NULL UNIQUE REFERENCES items (id) ON DELETE CASCADE,
        lang VARCHAR(8),
        document TSVECTOR NOT NULL,
        title_doc TSVECTOR NOT NULL DEFAULT '',
        tags TSVECTOR NOT NULL DEFAULT ''
    )""",
    CREATE_GIN_INDEX,
    """CREATE FUNCTION item_search_tags(target BIGINT) RETURNS TSVECTOR LANGUAGE sql STABLE AS $$
        SELECT array_to_tsvector(
            ARRAY(SELECT 'l' || lang FROM item_search WHERE item_id = target AND lang IS NOT NULL)
            || ARRAY(SELECT DISTINCT 's' || source_id FROM item_sources WHERE item_id = target)
            || ARRAY(SELECT 't' || encode(convert_to(topic_id, 'UTF8'), 'hex') FROM matches WHERE item_id = target))
    $$""",
    """CREATE FUNCTION item_search_retag() RETURNS TRIGGER LANGUAGE plpgsql AS $$
    DECLARE
        target BIGINT := CASE WHEN TG_OP = 'DELETE' THEN OLD.item_id ELSE NEW.item_id END;
    BEGIN
        -- An item being deleted takes its row with it: leave that row alone.
        UPDATE item_search SET tags = item_search_tags(target)
        WHERE item_id = target AND tags IS DISTINCT FROM item_search_tags(target)
            AND EXISTS (SELECT 1 FROM items WHERE id = target);
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER item_sources_retag AFTER INSERT OR DELETE ON item_sources
        FOR EACH ROW EXECUTE FUNCTION item_search_retag()""",
    """CREATE TRIGGER matches_retag AFTER INSERT OR DELETE ON matches
        FOR EACH ROW EXECUTE FUNCTION item_search_retag()""",
]


def upgrade() -> None:
    connection = op.get_bind()
    for statement in SQLITE if connection.dialect.name == "sqlite" else POSTGRESQL:
        op.execute(statement)
    rebuild_index(connection)  # also drops and recreates the GIN index around the bulk load


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("item_sources_retag_insert", "item_sources_retag_delete", "matches_retag_insert",
                        "matches_retag_delete", "item_search_au", "item_search_ad", "item_search_ai"):
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE item_fts")
        op.execute("DROP TABLE item_search")
    else:
        op.execute("DROP TRIGGER matches_retag ON matches")
        op.execute("DROP TRIGGER item_sources_retag ON item_sources")
        op.execute("DROP TABLE item_search")
        op.execute("DROP FUNCTION item_search_retag()")
        op.execute("DROP FUNCTION item_search_tags(BIGINT)")
