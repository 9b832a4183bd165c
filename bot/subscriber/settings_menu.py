"""/settings: the chat's and each topic's delivery choices, typed or chosen on buttons that mark the current one.

Button data is `set:<what>`: a menu to show (`set:menu:time`, `set:topic:<id>`) or a choice, which
becomes the words a user could type (`set:at:09:00` is `/settings 09:00`) so both go one way.
"""
from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.access import GROUP_ADMIN, permitted, requires
from bot.common import chat_row, edit, in_transaction, lang, reply, stale_button
from bot.context import DozorContext
from bot.delivery import subscriptions
from bot.delivery.subscriptions import MODES, SIGNALS, SettingsInputError, SettingsView
from bot.markup import short
from bot.texts import Html, explain, t
from bot.zones import zone_of
from storage import chats as chat_store
from storage.models import Chat, utcnow

ZONES = ("UTC", "Asia/Almaty", "Asia/Bishkek", "Asia/Tashkent", "Europe/Moscow", "Europe/Kyiv", "Europe/Minsk",
         "Asia/Aqtobe")
TIMES = ("06:00", "07:00", "08:00", "09:00", "10:00", "12:00", "18:00", "21:00")
QUIET = ("22:00-07:00", "23:00-07:00", "23:00-08:00", "00:00-08:00")
LABEL_CHARS = 28
CURRENT = "✓ "


def _button(label: str, data: str, current: bool = False) -> InlineKeyboardButton:
    return InlineKeyboardButton((CURRENT if current else "") + label, callback_data=data)


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[n : n + width] for n in range(0, len(buttons), width)]


def _quiet_range(view: SettingsView) -> str | None:
    chat = view.chat
    return f"{chat.quiet_start}-{chat.quiet_end}" if chat.quiet_start else None


def _sound(view: SettingsView, language: str) -> Html:
    silent = [s.silent for s in view.subscriptions]
    if silent and all(silent):
        return t("sound_off", language)
    return t("sound_some" if any(silent) else "sound_on", language)


def _topic_mode(view: SettingsView, subscription, language: str) -> Html:
    mode = subscriptions.mode_text(view.chat, language, chat_store.delivery_mode(view.chat, subscription))
    if subscription.mode is None:
        mode = t("mode_as_chat", language, mode=mode)
    return t("settings_topic_silent", language, mode=mode) if subscription.silent else mode


def _state(on: bool, language: str) -> str:
    return t("on" if on else "off", language)


def settings_text(view: SettingsView, language: str, prompt: str | None = None) -> str:
    """The settings message: every choice in words, and what to type or press."""
    chat = view.chat
    now = datetime.now(zone_of(chat.timezone)).strftime("%H:%M")
    lines = [
        t("settings_title", language),
        t("settings_delivery", language, mode=subscriptions.mode_text(chat, language)),
        t("settings_zone", language, tz=chat.timezone, now=now),
        t("settings_quiet", language, quiet=subscriptions.quiet_text(chat, language)),
    ]
    if view.subscriptions:
        lines.append(t("settings_sound", language, sound=_sound(view, language)))
        lines.append(t("settings_topics", language))
        lines += [
            t("settings_topic", language, topic=view.titles.get(s.topic_id, s.topic_id), mode=_topic_mode(view, s, language))
            for s in view.subscriptions
        ]
    else:
        lines.append(t("settings_no_topics", language))
    lines.append(t("settings_signals", language, spikes=_state(chat.spike_alerts, language),
                   shifts=_state(chat.shift_alerts, language)))
    if view.subscriptions:
        told = [view.titles.get(s.topic_id, s.topic_id) for s in view.subscriptions if s.change_alerts]
        lines.append(t("settings_changes", language, changes=", ".join(told) or t("changes_none", language)))
    if view.muted:
        lines.append(t("settings_muted", language, sources=", ".join(s.shown_name for s in view.muted)))
    if chat.paused_at is not None:
        since = chat.paused_at.astimezone(zone_of(chat.timezone)).strftime("%d.%m.%Y %H:%M")
        lines.append(t("settings_paused", language, since=since))
    return "\n".join(lines) + "\n\n" + (prompt or t("settings_hint", language))


def main_keyboard(view: SettingsView, language: str) -> InlineKeyboardMarkup:
    """Modes, the menus for time, zone and quiet hours, sound, spike and shift alerts, each topic, each muted source, resume."""
    chat = view.chat
    quiet = _quiet_range(view) or t("quiet_none", language)
    silent = bool(view.subscriptions) and all(s.silent for s in view.subscriptions)
    rows = [
        [_button(t(f"btn_{mode}", language), f"set:{mode}", chat.mode == mode) for mode in MODES],
        [_button(t("btn_daily_at", language, at=chat.daily_at), "set:menu:time"),
         _button(t("btn_zone", language, tz=chat.timezone), "set:menu:tz")],
        [_button(t("btn_quiet_menu", language, quiet=quiet), "set:menu:quiet"),
         _button(t("btn_sound_on" if silent else "btn_sound_off", language), f"set:silent:{'off' if silent else 'on'}")],
    ]
    topics = [
        _button(t("btn_topic", language, topic=short(view.titles.get(s.topic_id, s.topic_id), LABEL_CHARS)),
                f"set:topic:{s.topic_id}")
        for s in view.subscriptions
    ]
    rows.append([_button(t("btn_spikes", language, state=_state(chat.spike_alerts, language)), "set:spikes"),
                 _button(t("btn_shifts", language, state=_state(chat.shift_alerts, language)), "set:shifts")])
    rows += _rows(topics, 2)
    rows += [[_button(t("btn_unmute", language, source=short(s.shown_name, LABEL_CHARS)), f"set:unmute:{s.id}")]
             for s in view.muted]
    if chat.paused_at is not None:
        rows.append([_button(t("btn_resume", language), "set:resume")])
    return InlineKeyboardMarkup(rows)


def _back(language: str) -> list[InlineKeyboardButton]:
    return [_button(t("btn_back", language), "set:menu:main")]


def time_keyboard(view: SettingsView, language: str) -> InlineKeyboardMarkup:
    """Digest times; the current one marked (and shown even if it is not among them)."""
    times = sorted(set(TIMES) | {view.chat.daily_at})
    buttons = [_button(at, f"set:at:{at}", at == view.chat.daily_at) for at in times]
    return InlineKeyboardMarkup(_rows(buttons, 4) + [_back(language)])


def zone_keyboard(view: SettingsView, language: str) -> InlineKeyboardMarkup:
    """Common zones; the current one marked (and shown even if it is not among them)."""
    zones = list(ZONES) + ([view.chat.timezone] if view.chat.timezone not in ZONES else [])
    buttons = [_button(zone, f"set:tz:{zone}", zone == view.chat.timezone) for zone in zones]
    return InlineKeyboardMarkup(_rows(buttons, 2) + [_back(language)])


def quiet_keyboard(view: SettingsView, language: str) -> InlineKeyboardMarkup:
    """No quiet hours, or common ranges; the current one marked."""
    current = _quiet_range(view)
    ranges = list(QUIET) + ([current] if current and current not in QUIET else [])
    buttons = [_button(t("btn_no_quiet", language), "set:q:off", current is None)]
    buttons += [_button(span, f"set:q:{span}", span == current) for span in ranges]
    return InlineKeyboardMarkup(_rows(buttons, 2) + [_back(language)])


def topic_keyboard(view: SettingsView, topic_id: str, language: str) -> InlineKeyboardMarkup:
    """One topic's mode (or the chat's), its sound, its change alerts, unsubscribing."""
    subscription = next(s for s in view.subscriptions if s.topic_id == topic_id)
    chat_mode = subscriptions.mode_text(view.chat, language)
    modes = [_button(t("btn_as_chat", language, mode=chat_mode), f"set:tm:{topic_id}:default", subscription.mode is None)]
    modes += [_button(t(f"btn_{mode}", language), f"set:tm:{topic_id}:{mode}", subscription.mode == mode) for mode in MODES]
    silent = subscription.silent
    sound = _button(t("btn_sound_on" if silent else "btn_sound_off", language),
                    f"set:ts:{topic_id}:{'off' if silent else 'on'}")
    changes = _button(t("btn_changes", language, state=_state(subscription.change_alerts, language)),
                      f"set:tc:{topic_id}:{'off' if subscription.change_alerts else 'on'}")
    unsubscribe = _button(t("btn_unsubscribe_here", language), f"set:unsub:{topic_id}")
    return InlineKeyboardMarkup([modes[:1], modes[1:], [sound, changes], [unsubscribe], _back(language)])


MENUS = {"time": (time_keyboard, "pick_time"), "tz": (zone_keyboard, "pick_zone"), "quiet": (quiet_keyboard, "pick_quiet")}


def menu(view: SettingsView, name: str, language: str) -> tuple[str, InlineKeyboardMarkup] | None:
    """The text and buttons of a menu: main, time, tz, quiet, or topic:<id> (None for a topic not followed)."""
    if name.startswith("topic:"):
        topic_id = name.removeprefix("topic:")
        subscription = next((s for s in view.subscriptions if s.topic_id == topic_id), None)
        if subscription is None:
            return None
        prompt = t("topic_menu", language, topic=view.titles.get(topic_id, topic_id),
                   mode=_topic_mode(view, subscription, language))
        return settings_text(view, language, prompt), topic_keyboard(view, topic_id, language)
    if name in MENUS:
        keyboard, prompt = MENUS[name]
        return settings_text(view, language, t(prompt, language, tz=view.chat.timezone)), keyboard(view, language)
    if name == "main":
        return settings_text(view, language), main_keyboard(view, language)
    return None


def _words_of(choice: str) -> tuple[list[str], str] | None:
    """The typed words a choice button stands for, and the menu to show after it."""
    kind, _, value = choice.partition(":")
    if kind in MODES and not value:
        return [kind], "main"
    if kind in SIGNALS and not value:
        return [kind, "toggle"], "main"
    simple = {"tz": (["tz", value], "main"), "at": ([value], "main"), "q": (["quiet", value], "main"),
              "silent": (["silent", value], "main")}
    if kind in simple and value:
        return simple[kind]
    topic, _, setting = value.partition(":")
    if kind == "tm" and setting in (*MODES, "default"):
        return [topic, setting], f"topic:{topic}"
    if kind == "ts" and setting in ("on", "off"):
        return [topic, "silent", setting], f"topic:{topic}"
    if kind == "tc" and setting in ("on", "off"):
        return [topic, "changes", setting], f"topic:{topic}"
    return None


def _change(session, chat_pk: int, words: list[str], language: str) -> SettingsView:
    subscriptions.apply_settings(session, session.get(Chat, chat_pk), words)
    return subscriptions.settings_view(session, chat_pk, language)


async def settings(update: Update, context: DozorContext) -> None:
    """/settings: show the settings with buttons; with arguments, change them."""
    language = lang(update)
    chat = await chat_row(update, context)
    if context.args:
        if not await permitted(update, context, GROUP_ADMIN):
            return
        try:
            view = await in_transaction(context, _change, chat.id, list(context.args), language)
        except SettingsInputError as error:
            await reply(update, t("settings_bad", language, reason=explain(error, language, "settings")))
            return
    else:
        view = await in_transaction(context, subscriptions.settings_view, chat.id, language)
    await reply(update, settings_text(view, language), reply_markup=main_keyboard(view, language))


def _other_change(session, chat_pk: int, kind: str, value: str, language: str):
    """Choices that are no typed setting: unmute, unsubscribe, resume. None if the button is stale."""
    if kind == "unmute" and value.isdigit() and len(value) <= 12:
        chat_store.unmute_source(session, chat_pk, int(value))
    elif kind == "unsub" and value:
        chat_store.unsubscribe(session, chat_pk, value)
    elif kind == "resume" and not value:
        subscriptions.resume(session, chat_pk, utcnow())
    else:
        return None
    return subscriptions.settings_view(session, chat_pk, language)


@requires(GROUP_ADMIN)
async def settings_button(update: Update, context: DozorContext) -> None:
    """A settings button: show a menu, or apply a choice and show the menu it belongs to, marks redrawn."""
    query = update.callback_query
    language = lang(update)
    choice = (query.data or "").removeprefix("set:")
    kind, _, value = choice.partition(":")
    chat = await chat_row(update, context)
    after = "main"
    try:
        if kind in ("menu", "topic"):
            view = await in_transaction(context, subscriptions.settings_view, chat.id, language)
            after = value if kind == "menu" else f"topic:{value}"
        elif (typed := _words_of(choice)) is not None:
            words, after = typed
            view = await in_transaction(context, _change, chat.id, words, language)
        else:
            view = await in_transaction(context, _other_change, chat.id, kind, value, language)
    except SettingsInputError:  # no button of ours carries it
        view = None
    shown = menu(view, after, language) if view is not None else None
    if shown is None:
        await stale_button(update, context)
        return
    await query.answer(t("toast_saved", language) if kind not in ("menu", "topic") else None)
    text, keyboard = shown
    await edit(query.message, text, reply_markup=keyboard)
