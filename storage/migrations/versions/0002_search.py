"""full-text search index of items

Revision ID: 0002
Revises: 0001

SQLite: item_search holds the stems and is the external content of the FTS5 table item_fts,
kept in sync by triggers. PostgreSQL: item_search holds a tsvector under a GIN index.
Both are keyed by a sort key (see storage.search_index) and follow items on delete.
"""
from alembic import op

from storage.search_index import rebuild_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE = [
    """CREATE TABLE item_search (
        sort_key INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL UNIQUE REFERENCES items (id) ON DELETE CASCADE,
        lang VARCHAR(8),
        title TEXT NOT NULL,
        body TEXT NOT NULL
    )""",
    """CREATE VIRTUAL TABLE item_fts USING fts5(
        title, body, content='item_search', content_rowid='sort_key',
        tokenize="unicode61 remove_diacritics 2"
    )""",
    """CREATE TRIGGER item_search_ai AFTER INSERT ON item_search BEGIN
        INSERT INTO item_fts (rowid, title, body) VALUES (new.sort_key, new.title, new.body);
    END""",
    """CREATE TRIGGER item_search_ad AFTER DELETE ON item_search BEGIN
        INSERT INTO item_fts (item_fts, rowid, title, body) VALUES ('delete', old.sort_key, old.title, old.body);
    END""",
]
POSTGRESQL = [
    """CREATE TABLE item_search (
        sort_key BIGINT PRIMARY KEY,
        item_id BIGINT NOT NULL UNIQUE REFERENCES items (id) ON DELETE CASCADE,
        lang VARCHAR(8),
        document TSVECTOR NOT NULL
    )""",
    "CREATE INDEX ix_item_search_document ON item_search USING gin (document)",
]


def upgrade() -> None:
    connection = op.get_bind()
    for statement in SQLITE if connection.dialect.name == "sqlite" else POSTGRESQL:
        op.execute(statement)
    rebuild_index(connection)  # also drops and recreates the GIN index around the bulk load


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER item_search_ad")
        op.execute("DROP TRIGGER item_search_ai")
        op.execute("DROP TABLE item_fts")
    op.execute("DROP TABLE item_search")
