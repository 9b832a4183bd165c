"""narrative counts per topic, hour, source label and narrative, kept up to date for /narratives

narrative_hours holds, per topic, UTC hour and source label, how many of the topic's items tell each
narrative ("" for all of them); it is filled here from the stored items. Triggers mark an hour in
narrative_stale_hours whenever what it counts changes: a match or an item's source added or removed,
an item deleted or its time changed, a source relabeled, a topic made a narrative or not. Readers count
stale hours from the items; storage.narratives.recount_stale() counts them again.

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

from storage.narratives import hour_sql, recount_all

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# An item's sources count only once it matches something (a new item's sources are stored before its matches).
ONLY_MATCHED = " AND EXISTS (SELECT 1 FROM matches m WHERE m.item_id = i.id)"


def _sqlite_triggers() -> list[str]:
    def hour(at: str) -> str:
        return hour_sql("sqlite", at)

    def mark(select: str) -> str:
        return f"INSERT OR IGNORE INTO narrative_stale_hours (hour) {select};"

    triggers = [
        f"""CREATE TRIGGER {table}_narrative_hours_{event} AFTER {event.upper()} ON {table} BEGIN
            {mark(f"SELECT {hour('i.published_at')} FROM items i WHERE i.id = {row}.item_id{also}")}
        END"""
        for table, also in (("matches", ""), ("item_sources", ONLY_MATCHED))
        for event, row in (("insert", "new"), ("delete", "old"))
    ]
    return triggers + [
        f"""CREATE TRIGGER items_narrative_hours_delete AFTER DELETE ON items BEGIN
            {mark(f"SELECT {hour('old.published_at')}")}
        END""",
        f"""CREATE TRIGGER items_narrative_hours_moved AFTER UPDATE OF published_at ON items
            WHEN old.published_at IS NOT new.published_at BEGIN
            {mark(f"SELECT {hour('old.published_at')} UNION SELECT {hour('new.published_at')}")}
        END""",
        f"""CREATE TRIGGER sources_narrative_hours_label AFTER UPDATE OF label ON sources
            WHEN old.label IS NOT new.label BEGIN
            {mark(f"SELECT DISTINCT {hour('i.published_at')} FROM items i JOIN item_sources o ON o.item_id = i.id "
                  "WHERE o.source_id = new.id")}
        END""",
        f"""CREATE TRIGGER topics_narrative_hours_kind AFTER UPDATE OF kind ON topics
            WHEN old.kind IS NOT new.kind BEGIN
            {mark(f"SELECT DISTINCT {hour('i.published_at')} FROM items i JOIN matches m ON m.item_id = i.id "
                  "WHERE m.topic_id = new.id")}
        END""",
    ]


def _postgresql_triggers() -> list[str]:
    def hour(at: str) -> str:
        return hour_sql("postgresql", at)

    def mark(select: str) -> str:
        return f"INSERT INTO narrative_stale_hours (hour) {select} ON CONFLICT DO NOTHING;"

    def function(name: str, body: str) -> str:
        return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {body}
                RETURN NULL;
            END $$"""

    def of_item(row: str, also: str = "") -> str:
        return mark(f"SELECT {hour('i.published_at')} FROM items i WHERE i.id = {row}.item_id{also}")

    return [
        function("narrative_hours_match", f"""IF TG_OP = 'DELETE' THEN {of_item("OLD")}
                ELSE {of_item("NEW")} END IF;"""),
        function("narrative_hours_item_source", f"""IF TG_OP = 'DELETE' THEN {of_item("OLD", ONLY_MATCHED)}
                ELSE {of_item("NEW", ONLY_MATCHED)} END IF;"""),
        function("narrative_hours_item", f"""IF TG_OP = 'DELETE' THEN {mark(f"SELECT {hour('OLD.published_at')}")}
                ELSIF OLD.published_at IS DISTINCT FROM NEW.published_at THEN
                    {mark(f"SELECT {hour('OLD.published_at')} UNION SELECT {hour('NEW.published_at')}")}
                END IF;"""),
        function("narrative_hours_source", f"""IF OLD.label IS DISTINCT FROM NEW.label THEN
                    {mark(f"SELECT DISTINCT {hour('i.published_at')} FROM items i "
                          "JOIN item_sources o ON o.item_id = i.id WHERE o.source_id = NEW.id")}
                END IF;"""),
        function("narrative_hours_topic", f"""IF OLD.kind IS DISTINCT FROM NEW.kind THEN
                    {mark(f"SELECT DISTINCT {hour('i.published_at')} FROM items i "
                          "JOIN matches m ON m.item_id = i.id WHERE m.topic_id = NEW.id")}
                END IF;"""),
        """CREATE TRIGGER matches_narrative_hours AFTER INSERT OR DELETE ON matches
            FOR EACH ROW EXECUTE FUNCTION narrative_hours_match()""",
        """CREATE TRIGGER item_sources_narrative_hours AFTER INSERT OR DELETE ON item_sources
            FOR EACH ROW EXECUTE FUNCTION narrative_hours_item_source()""",
        """CREATE TRIGGER items_narrative_hours AFTER DELETE OR UPDATE OF published_at ON items
            FOR EACH ROW EXECUTE FUNCTION narrative_hours_item()""",
        """CREATE TRIGGER sources_narrative_hours AFTER UPDATE OF label ON sources
            FOR EACH ROW EXECUTE FUNCTION narrative_hours_source()""",
        """CREATE TRIGGER topics_narrative_hours AFTER UPDATE OF kind ON topics
            FOR EACH ROW EXECUTE FUNCTION narrative_hours_topic()""",
    ]


def upgrade() -> None:
    op.create_table(
        "narrative_hours",
        sa.Column("topic_id", sa.String(length=64), nullable=False),
        sa.Column("hour", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.Column("narrative", sa.String(length=64), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("topic_id", "hour", "label", "narrative", name=op.f("pk_narrative_hours")),
    )
    op.create_table(
        "narrative_stale_hours",
        sa.Column("hour", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("hour", name=op.f("pk_narrative_stale_hours")),
    )
    connection = op.get_bind()
    for statement in _sqlite_triggers() if connection.dialect.name == "sqlite" else _postgresql_triggers():
        op.execute(statement)
    recount_all(connection)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("matches_narrative_hours_insert", "matches_narrative_hours_delete",
                     "item_sources_narrative_hours_insert", "item_sources_narrative_hours_delete",
                     "items_narrative_hours_delete", "items_narrative_hours_moved", "sources_narrative_hours_label",
                     "topics_narrative_hours_kind"):
            op.execute(f"DROP TRIGGER {name}")
    else:
        for name, table in (("matches_narrative_hours", "matches"), ("item_sources_narrative_hours", "item_sources"),
                            ("items_narrative_hours", "items"), ("sources_narrative_hours", "sources"),
                            ("topics_narrative_hours", "topics")):
            op.execute(f"DROP TRIGGER {name} ON {table}")
        for name in ("narrative_hours_match", "narrative_hours_item_source", "narrative_hours_item", "narrative_hours_source", "narrative_hours_topic"):
            op.execute(f"DROP FUNCTION {name}()")
    op.drop_table("narrative_stale_hours")
    op.drop_table("narrative_hours")
