"""Dozor's database: SQLAlchemy models, migrations and queries (imports nothing from feeds or bot)."""
