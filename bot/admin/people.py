"""Admin commands about people: /admins, /volunteers."""
from __future__ import annotations

from telegram import Update

from bot import menu
from bot.access import requires
from bot.admin.common import actor_of, command_rest, split_first, usage, when
from bot.commands import ADMIN
from bot.common import edit, in_transaction, lang, read, reply, reply_pieces, whole_number, zone
from bot.confirm import Confirmation
from bot.context import DozorContext
from bot.markup import echo
from bot.texts import t
from storage import audit
from storage import roles as role_store

RESTRICT = Confirmation("adm:vr")


def _user_id(text: str) -> int | None:
    number = whole_number(text, 16)
    return number if number and number < 2**53 else None


@requires(ADMIN)
async def admins(update: Update, context: DozorContext) -> None:
    """/admins, /admins add <id>, /admins remove <id>."""
    action, rest = split_first(command_rest(update))
    if not action:
        await _list_admins(update, context)
        return
    user_id = _user_id(rest)
    if action not in ("add", "remove"):
        await usage(update, "usage_admins")
        return
    if user_id is None:
        await reply(update, t("bad_user_id", lang(update), value=echo(rest or "?")))
        return
    roles = context.services.roles
    work = _add_admin if action == "add" else _remove_admin
    key = await in_transaction(context, work, roles.bootstrap_admins, user_id, actor_of(update))
    await reply(update, t(key, lang(update), user=user_id))
    if key in ("admin_added", "admin_removed"):
        await menu.publish_for(context.bot, roles, user_id)


async def _list_admins(update: Update, context: DozorContext) -> None:
    language = lang(update)
    roles = context.services.roles
    tz = await zone(update, context)
    added = await read(context, role_store.added_admins)
    lines = [f"{i} · {t('admin_from_settings', language)}" for i in sorted(roles.bootstrap_admins)]
    lines += [
        f"{a.user_id} · {t('admin_added_by', language, by=a.added_by or '?', at=when(a.added_at, tz))}"
        for a in added
        if a.user_id not in roles.bootstrap_admins
    ]
    await reply_pieces(update, [t("admins_title", language), *lines], "\n")


def _add_admin(session, bootstrap: frozenset[int], user_id: int, actor: audit.Actor) -> str:
    if user_id in bootstrap or not role_store.add_admin(session, user_id, actor.user_id):
        return "admin_already"
    audit.record(session, actor, "admin.add", str(user_id), None, {"admin": user_id})
    return "admin_added"


def _remove_admin(session, bootstrap: frozenset[int], user_id: int, actor: audit.Actor) -> str:
    if user_id in bootstrap:
        return "admin_bootstrap"
    if not role_store.is_added_admin(session, user_id):
        return "admin_not_found"
    if not bootstrap and len(role_store.added_admins(session)) == 1:
        return "admin_last"
    role_store.remove_admin(session, user_id)
    audit.record(session, actor, "admin.remove", str(user_id), {"admin": user_id}, None)
    return "admin_removed"


@requires(ADMIN)
async def volunteers(update: Update, context: DozorContext) -> None:
    """/volunteers, /volunteers all|list, /volunteers add|remove <id>."""
    language = lang(update)
    action, rest = split_first(command_rest(update))
    actor = actor_of(update)
    if action in ("add", "remove"):
        await _change_and_say(update, context, action, rest, actor)
        return
    if action and (action not in ("all", "list") or rest):
        await usage(update, "usage_volunteers")
        return
    changed = bool(action) and await in_transaction(context, _set_mode, action, actor)
    await reply(update, await in_transaction(context, _state_text, language))
    if changed:  # menus after the answer: one request per listed volunteer and language
        await menu.publish_all(context.bot, context.services.roles)


async def _change_and_say(update: Update, context: DozorContext, action: str, rest: str, actor: audit.Actor) -> None:
    """Add or remove one volunteer; while everyone is a volunteer, adding one asks whether to restrict now."""
    language = lang(update)
    user_id = _user_id(rest)
    if user_id is None:
        await reply(update, t("bad_user_id", language, value=echo(rest or "?")))
        return
    key, mode = await in_transaction(context, _change_volunteer, action, user_id, actor)
    text = t(key, language, user=user_id)
    if action == "add" and mode == "all":
        buttons = RESTRICT.ask(context, {"user": user_id}, language, "btn_restrict", "btn_keep_open")
        await reply(update, text + "\n" + t("volunteers_still_open", language), reply_markup=buttons)
    else:
        await reply(update, text + (" " + t("volunteer_may_now", language) if key == "volunteer_added" else ""))
    await menu.publish_for(context.bot, context.services.roles, user_id)


@requires(ADMIN)
async def restrict_button(update: Update, context: DozorContext) -> None:
    """Restrict now / Keep open, under the answer to adding a volunteer while everyone is one."""
    query = update.callback_query
    language = lang(update)
    pressed = await RESTRICT.pressed(update, context)
    if pressed is None:
        return
    confirmed, _pending = pressed
    changed = confirmed and await in_transaction(context, _set_mode, "list", actor_of(update))
    await edit(query.message, await in_transaction(context, _state_text, language))
    if changed:
        await menu.publish_all(context.bot, context.services.roles)


def _state_text(session, language: str) -> str:
    """Who may use the volunteer commands, and the allow-list."""
    mode, listed = _volunteers_state(session)
    members = ", ".join(str(i) for i in listed) or t("volunteers_none", language)
    text = t(f"volunteers_{mode}", language) + "\n" + t("volunteers_members", language, ids=members)
    if mode == "list" and not listed:
        text += "\n" + t("volunteers_list_empty", language)
    return text


def _volunteers_state(session) -> tuple[str, list[int]]:
    return role_store.volunteer_mode(session), [v.user_id for v in role_store.listed_volunteers(session)]


def _set_mode(session, mode: str, actor: audit.Actor) -> bool:
    """Set the mode; whether it changed."""
    previous = role_store.set_volunteer_mode(session, mode)
    if previous != mode:
        audit.record(session, actor, "setting.volunteers", "volunteers", {"volunteers": previous}, {"volunteers": mode})
    return previous != mode


def _change_volunteer(session, action: str, user_id: int, actor: audit.Actor) -> tuple[str, str]:
    """(what happened, as a text key; the volunteer mode)."""
    return _edit_allow_list(session, action, user_id, actor), role_store.volunteer_mode(session)


def _edit_allow_list(session, action: str, user_id: int, actor: audit.Actor) -> str:
    if action == "add":
        if not role_store.add_volunteer(session, user_id, actor.user_id):
            return "volunteer_already"
        audit.record(session, actor, "volunteer.add", str(user_id), None, {"volunteer": user_id})
        return "volunteer_added"
    if not role_store.remove_volunteer(session, user_id):
        return "volunteer_not_listed"
    audit.record(session, actor, "volunteer.remove", str(user_id), {"volunteer": user_id}, None)
    return "volunteer_removed"
