"""Webhook mode: where PTB's server listens, and the secret every call from Telegram must carry."""
from __future__ import annotations

import logging
import secrets
from urllib.parse import urlsplit

from sqlalchemy.orm import Session, sessionmaker
from telegram import Update

from bot.settings import SECRET_TOKEN, Settings
from storage.meta import get_meta, set_meta

log = logging.getLogger("dozor.bot")

SECRET_META_KEY = "webhook_secret"
WEAK_SECRET_LENGTH = 16


def webhook_secret(settings: Settings, sessions: sessionmaker[Session]) -> str:
    """DOZOR_WEBHOOK_SECRET, or else the secret Dozor generated once and keeps in the database."""
    if settings.webhook_secret:
        if len(settings.webhook_secret) < WEAK_SECRET_LENGTH:
            log.warning("DOZOR_WEBHOOK_SECRET is short (%d characters): anyone who guesses it can send the bot "
                        "updates; unset it to let Dozor generate a strong one", len(settings.webhook_secret))
        return settings.webhook_secret
    with sessions.begin() as session:
        secret = get_meta(session, SECRET_META_KEY)
        if secret is None or not SECRET_TOKEN.fullmatch(secret):
            secret = secrets.token_urlsafe(32)  # 43 characters of A-Z a-z 0-9 _ -, all allowed by Telegram
            set_meta(session, SECRET_META_KEY, secret)
    log.info("webhook: DOZOR_WEBHOOK_SECRET is not set, so Dozor uses the secret it generated and keeps in the "
             "database; calls without it are refused with 403")
    return secret


def webhook_options(settings: Settings, secret: str) -> dict:
    """Arguments for PTB's webhook server: the path is the URL's path, so a proxy can forward it as is."""
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlsplit(settings.webhook_url).path.lstrip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": secret,
        "allowed_updates": Update.ALL_TYPES,
    }
