"""Opening the database for the app: migrate, then seed a new database with the default topics and sources.

The default narratives are seeded once into every database, new or older than narratives.
"""
from __future__ import annotations

import json
import logging
from importlib.resources import files

from sqlalchemy.orm import Session, sessionmaker

from feeds.matching import default_narratives, default_topics
from storage import topics as topic_store
from storage.db import make_engine, session_factory
from storage.meta import get_meta, set_meta
from storage.migrate import upgrade
from storage.models import Source, utcnow

log = logging.getLogger(__name__)


def default_sources() -> list[dict]:
    """The sources shipped in feeds/data/sources.json."""
    return json.loads(files("feeds").joinpath("data/sources.json").read_text("utf-8"))


def open_database(url: str, seed_sources: bool = True) -> sessionmaker[Session]:
    """Migrate the database and seed it once, when it is new; return a sessionmaker."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        if get_meta(session, "seeded_at") is None:
            _seed(session, seed_sources)
            set_meta(session, "seeded_at", utcnow().isoformat())
        if get_meta(session, "narratives_seeded_at") is None:  # new databases, and those from before narratives
            topic_store.seed_narratives(session, ((n.id, n.title, list(n.rules)) for n in default_narratives()))
            set_meta(session, "narratives_seeded_at", utcnow().isoformat())
    return sessions


def _seed(session: Session, seed_sources: bool) -> None:
    topics = default_topics()
    if topic_store.seed_topics(session, ((t.id, t.title, list(t.rules)) for t in topics)):
        for topic in topics:
            for language, title in topic.titles.items():
                topic_store.set_title(session, topic.id, language, title)
    if seed_sources:
        sources = default_sources()
        session.add_all(Source(name=s["name"], url=s["url"], kind=s["kind"], label=s.get("label")) for s in sources)
        log.info("seeded %d default sources", len(sources))
