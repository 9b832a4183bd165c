"""Full-text search, whole: the query language (query, types), the stemmer (textindex), the index
(index), the SQL for SQLite FTS5 and PostgreSQL (sql), running a query (execute) and snippets."""
