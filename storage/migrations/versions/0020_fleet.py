"""the fleet: processes with heartbeats, who holds a source or an outbox row, the shared send pace;
partial indexes so the senders' claim does not walk the sent rows

Revision ID: 0020
Revises: 0019
"""
import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

OUTBOX_INDEXES = (
    ("ix_outbox_pending", ["id"], "status = 'pending'"),
    ("ix_outbox_unsent_by_chat", ["chat_pk", "id"], "status IN ('pending', 'claimed', 'sending')"),
    ("ix_outbox_sent_by_chat", ["chat_pk", "sent_at"], "status = 'sent'"),
)


def upgrade() -> None:
    op.create_table(
        "processes",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("roles", sa.String(length=60), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("counters", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processes")),
    )
    op.create_index(op.f("ix_processes_heartbeat_at"), "processes", ["heartbeat_at"], unique=False)
    op.create_table(
        "send_pace",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("next_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_send_pace")),
    )
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=80), nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=80), nullable=True))
    for name, columns, where in OUTBOX_INDEXES:
        op.create_index(name, "outbox", columns, postgresql_where=sa.text(where), sqlite_where=sa.text(where))


def downgrade() -> None:
    for name, _, _ in OUTBOX_INDEXES:
        op.drop_index(name, table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_by")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("claimed_by")
    op.drop_table("send_pace")
    op.drop_index(op.f("ix_processes_heartbeat_at"), table_name="processes")
    op.drop_table("processes")
