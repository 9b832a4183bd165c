"""Webhook mode: the real bot's webhook server on a loopback port obeys only calls that carry Telegram's secret."""
from __future__ import annotations

import asyncio
import json
import socket
import urllib.error
import urllib.request

import pytest

from bot.cli import main
from storage import audit, roles
from storage.meta import get_meta
from tests.botharness import dozor_bot

ADMIN, MALLORY = 1001, 6666
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_command(update_id: int, text: str) -> dict:
    """An update that claims to be the admin writing `text` in their private chat."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 1641456000, "text": text,
            "chat": {"id": ADMIN, "type": "private"},
            "from": {"id": ADMIN, "is_bot": False, "first_name": "Admin", "language_code": "en"},
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }


async def post(url: str, update: dict, secret: str | None) -> int:
    """POST an update as Telegram would (with the secret header, if given); the HTTP status."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    request = urllib.request.Request(url, json.dumps(update).encode(), headers)

    def send() -> int:
        try:
            return urllib.request.urlopen(request, timeout=10).status
        except urllib.error.HTTPError as error:
            return error.code

    return await asyncio.to_thread(send)


def webhook_bot(fake, database_url, parse_pool, **settings):
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    bot = dozor_bot(
        fake, database_url, parse_pool, admin_ids=[ADMIN], webhook_url=url, webhook_listen="127.0.0.1",
        webhook_port=port, websub_listen="127.0.0.1", websub_port=free_port(), **settings,
    )
    return bot, url


def what_changed(bot) -> tuple[list[int], int]:
    with bot.sessions() as session:
        return [a.user_id for a in roles.added_admins(session)], len(audit.latest(session, 100))


def stored_secret(bot) -> str | None:
    with bot.sessions() as session:
        return get_meta(session, "webhook_secret")


async def test_without_a_configured_secret_forged_updates_get_403_and_change_nothing(
    fake_telegram, sqlite_url, parse_pool
):
    bot_context, url = webhook_bot(fake_telegram, sqlite_url, parse_pool)
    async with bot_context as bot:
        forged = admin_command(1, f"/admins add {MALLORY}")
        assert await post(url, forged, None) == 403
        assert await post(url, forged, "guessed-wrong") == 403
        secret = stored_secret(bot)
        assert secret and len(secret) >= 32
        assert await post(url, forged, secret[:-1]) == 403
        await asyncio.sleep(0.5)
        assert what_changed(bot) == ([], 0)
        assert fake_telegram.messages(ADMIN) == []
        assert fake_telegram.world.webhook_secret == secret  # Telegram was told to send it

        assert await post(url, admin_command(2, f"/admins add {MALLORY}"), secret) == 200
        (reply,) = await fake_telegram.wait_for_messages(ADMIN, 1)
        assert reply.plain_text == f"{MALLORY} is now an admin."
        assert what_changed(bot) == ([MALLORY], 1)


async def test_the_generated_secret_is_kept_across_restarts(fake_telegram, sqlite_url, parse_pool):
    first, _ = webhook_bot(fake_telegram, sqlite_url, parse_pool)
    async with first as bot:
        secret = stored_secret(bot)
    assert secret
    second, url = webhook_bot(fake_telegram, sqlite_url, parse_pool)
    async with second as bot:
        assert stored_secret(bot) == secret == fake_telegram.world.webhook_secret
        assert await post(url, admin_command(1, "/admins"), secret) == 200
        await fake_telegram.wait_for_messages(ADMIN, 1)


async def test_a_configured_secret_is_used_and_nothing_is_generated(fake_telegram, sqlite_url, parse_pool):
    configured = "Configured_secret-0123456789"
    bot_context, url = webhook_bot(fake_telegram, sqlite_url, parse_pool, webhook_secret=configured)
    async with bot_context as bot:
        assert fake_telegram.world.webhook_secret == configured and stored_secret(bot) is None
        assert await post(url, admin_command(1, "/admins"), None) == 403
        assert await post(url, admin_command(2, "/admins"), configured) == 200
        await fake_telegram.wait_for_messages(ADMIN, 1)


@pytest.mark.timeout(60)  # before the check, `dozor run` ran on with a secret Telegram refuses
@pytest.mark.parametrize("secret", ["has spaces", "ünïcode", "semi;colon", "x" * 257])
def test_a_secret_telegram_would_refuse_stops_dozor_with_one_clear_line(secret, sqlite_url, monkeypatch, capsys):
    monkeypatch.setenv("DOZOR_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("DOZOR_WEBHOOK_URL", "https://dozor.example/telegram/hook")
    monkeypatch.setenv("DOZOR_WEBHOOK_SECRET", secret)
    assert main(["run"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("dozor: invalid setting DOZOR_WEBHOOK_SECRET: Telegram accepts only 1-256 characters")
