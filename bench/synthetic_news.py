"""A deterministic synthetic news stream for the benchmarks: events told by several outlets in ru/uk/kk/en.

Each event (someone detained, appointed, resigning, a protest, a death toll...) in some place is
reported by one to five outlets, each in its own language, within hours; the rest are single
items. Names are made of syllables and written in Latin with the matcher's transliteration, as
outlets write them.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.search.spellings import latin_variants

SOURCES = [("Kazinform", "state-kz"), ("Azattyk", "international"), ("DW", "international"), ("LIGA.net", "ua"),
           ("RBC", "ru"), ("TASS", "state-ru"), ("Vecherny Bishkek", "independent"), ("Gazeta.uz", "independent")]
_FIRST = ["Бек", "Нур", "Ас", "Ер", "Жан", "Сер", "Тал", "Мар", "Дау", "Ай", "Кай", "Сам", "Бол", "Руст", "Ар", "Ил",
          "Габ", "Вит", "Зар", "Хам", "Фар", "Пав", "Лук", "Дим", "Гор", "Шах", "Чин", "Юс"]
_MIDDLE = ["ым", "ан", "ен", "ал", "ур", "ай", "ек", "ет", "им", "ул", "", "ид", "оз", "уш", "ер", "аб", "иф"]
_LAST = ["ов", "ев", "баев", "улин", "енко", "ин", "ски", "бек", "дзе", "ян", "ук", "ич"]
_TOWNS = ["Кар", "Ак", "Жан", "Шым", "Тал", "Кок", "Ус", "Бал", "Сар", "Кыз", "Тур", "Ек", "Бур", "Зим", "Хор",
          "Пет", "Луг", "Мир", "Гав", "Чер", "Дон", "Ним"]
_TOWN_ENDS = ["абад", "тау", "коль", "су", "озен", "кент", "жар", "тобе", "ан", "град", "поль", "мир", "дым", "шах"]
TEMPLATES = {
    "detained": {
        "ru": ("{p} задержан в {t}", "Бывший чиновник {p} задержан в {t} по подозрению в коррупции."),
        "uk": ("У {t} затримали {p}", "Колишнього чиновника {p} затримали в {t} за підозрою в корупції."),
        "kk": ("{p} {t} қаласында ұсталды", "Бұрынғы шенеунік {p} {t} қаласында сыбайлас жемқорлық күдігімен ұсталды."),
        "en": ("{p} detained in {t}", "Former official {p} was detained in {t} on suspicion of corruption."),
    },
    "appointed": {
        "ru": ("{p} назначен акимом {t}", "Указом президента {p} назначен акимом города {t}."),
        "uk": ("{p} призначений головою {t}", "Указом президента {p} призначено очільником міста {t}."),
        "kk": ("{p} {t} әкімі болып тағайындалды", "Президент жарлығымен {p} {t} қаласының әкімі болып тағайындалды."),
        "en": ("{p} appointed mayor of {t}", "{p} was appointed mayor of {t} by a presidential decree."),
    },
    "protest": {
        "ru": ("В {t} прошел митинг против роста цен", "Около {n} жителей {t} вышли на митинг против роста цен на газ."),
        "uk": ("У {t} пройшов мітинг проти зростання цін", "Близько {n} мешканців {t} вийшли на мітинг проти подорожчання газу."),
        "kk": ("{t} қаласында баға өсіміне қарсы шеру өтті", "{t} қаласының {n} тұрғыны газ бағасының қымбаттауына наразылық білдірді."),
        "en": ("Protest over prices in {t}", "About {n} residents of {t} rallied against a rise in gas prices."),
    },
    "dead": {
        "ru": ("В {t} погибли {n} человек", "В результате взрыва на шахте в {t} погибли {n} человек, сообщил {p}."),
        "uk": ("У {t} загинули {n} людей", "Унаслідок вибуху на шахті в {t} загинули {n} людей, повідомив {p}."),
        "kk": ("{t} қаласында {n} адам қаза тапты", "{t} шахтасындағы жарылыстан {n} адам қаза тапты, деді {p}."),
        "en": ("{n} killed in {t} mine blast", "An explosion at a mine in {t} killed {n} people, {p} said."),
    },
    "resigned": {
        "ru": ("{p} ушел в отставку", "Министр {p} подал в отставку после критики событий в {t}."),
        "uk": ("{p} пішов у відставку", "Міністр {p} подав у відставку після критики подій у {t}."),
        "kk": ("{p} отставкаға кетті", "Министр {p} {t} оқиғаларынан кейін отставкаға кетті."),
        "en": ("{p} resigns", "Minister {p} resigned after criticism over the events in {t}."),
    },
    "talks": {
        "ru": ("{p} провел переговоры в {t}", "{p} и делегация соседней страны провели переговоры в {t} о поставках зерна."),
        "uk": ("{p} провів переговори в {t}", "{p} і делегація сусідньої країни провели переговори в {t} про постачання зерна."),
        "kk": ("{p} {t} қаласында келіссөз жүргізді", "{p} көрші ел делегациясымен {t} қаласында астық жеткізу туралы келіссөз жүргізді."),
        "en": ("{p} holds talks in {t}", "{p} and a neighbouring delegation held talks in {t} on grain supplies."),
    },
}
_FILLER = ("экономика", "бюджет", "реформа", "рынок", "погода", "спорт", "транспорт", "выставка", "фестиваль",
           "школа", "больница", "дорога", "тариф", "урожай", "кредит", "налог", "театр", "музей", "турнир", "автобус")


@dataclass(frozen=True)
class NewsItem:
    """One synthetic item."""

    event: int  # the event it reports; single items have their own
    source: str
    lang: str
    published_at: datetime
    title: str
    text: str
    url: str


def _names(rng: random.Random, parts: tuple[list[str], ...], count: int) -> list[str]:
    found: set[str] = set()
    while len(found) < count:
        found.add("".join(rng.choice(p) for p in parts))
    return sorted(found)


def _latin(name: str) -> str:
    return latin_variants(name.lower())[0].capitalize()


class Generator:
    """Items in time order from `start`, `per_day` a day, deterministically for a seed."""

    def __init__(self, start: datetime, per_day: int, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.start = start
        self.per_day = per_day
        self.people = _names(self.rng, (_FIRST, _MIDDLE, _LAST), 4000)
        self.towns = _names(self.rng, (_TOWNS, _MIDDLE, _TOWN_ENDS), 3000)

    def items(self, count: int):
        """`count` items in time order."""
        spacing = timedelta(days=1) / self.per_day
        pending: list[NewsItem] = []
        event = 0
        made = 0
        at = self.start
        while made < count:
            event += 1
            at += spacing * self.rng.uniform(0.5, 1.5)
            if self.rng.random() < 0.5:
                pending.extend(self._event(event, at))
            else:
                pending.append(self._single(event, at))
            pending.sort(key=lambda i: i.published_at)
            while pending and pending[0].published_at <= at and made < count:
                yield pending.pop(0)
                made += 1
        yield from pending[: count - made]

    def _event(self, event: int, at: datetime) -> list[NewsItem]:
        rng = self.rng
        kind = rng.choice(sorted(TEMPLATES))
        person, town, number = rng.choice(self.people), rng.choice(self.towns), rng.randint(12, 900)
        outlets = rng.sample(SOURCES, rng.randint(2, 5))
        found = []
        for offset, (source, _) in enumerate(outlets):
            lang = rng.choice(("ru", "ru", "uk", "kk", "en"))
            title, text = TEMPLATES[kind][lang]
            p, t = (person, town) if lang != "en" else (_latin(person), _latin(town))
            values = {"p": p, "t": t, "n": number}
            when = at + timedelta(minutes=offset * rng.randint(5, 120))
            found.append(NewsItem(event, source, lang, when, title.format(**values), text.format(**values),
                                  f"https://{source.lower().replace(' ', '')}.example/{lang}/{event}-{offset}"))
        return found

    def _single(self, event: int, at: datetime) -> NewsItem:
        rng = self.rng
        words = rng.sample(_FILLER, 4)
        title = f"{words[0].capitalize()} и {words[1]}: {rng.choice(self.towns)} {rng.randint(1, 99)}"
        text = f"{rng.choice(self.people)} рассказал о теме «{words[2]}» и о том, что {words[3]} подорожает."
        source = rng.choice(SOURCES)[0]
        return NewsItem(event, source, "ru", at, title, text, f"https://{source.lower().replace(' ', '')}.example/s/{event}")
