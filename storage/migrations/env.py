"""Alembic environment: runs migrations on the connection handed over by storage.migrate."""
from alembic import context

from storage.models import Base
import storage.admin_models  # noqa: F401  (so autogenerate sees the admin tables)

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `dozor db upgrade` (storage.migrate)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
