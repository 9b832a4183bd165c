"""Alembic environment: runs migrations on the connection handed over by storage.migrate."""
from alembic import context

import storage.admin_models  # noqa: F401  (so autogenerate sees the admin tables)
import storage.analysis_models  # noqa: F401  (and the analyses tables)
import storage.language_models  # noqa: F401  (and the language tables)
import storage.story_models  # noqa: F401  (and the stories tables)
import storage.fleet_models  # noqa: F401  (and the fleet tables)
from storage.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `dozor db upgrade` (storage.migrate)")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave tables that no model describes (the search index, FTS5's shadow tables) out of autogenerate."""
    return not (type_ == "table" and reflected and compare_to is None)


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
