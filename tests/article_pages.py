"""Article pages as outlets serve them: the story among navigation, ads, counters, related links and comments.

`article_page` builds one in the real pages' shape (about 100 KB with `padding`), so that
extraction meets the same boilerplate it meets on the web; `hostile` pages are broken or unfriendly.
"""
from __future__ import annotations

from html import escape

PARAGRAPHS = {
    "ru": [
        "Президент Казахстана Касым-Жомарт Токаев заявил, что Алматы атаковали двадцать тысяч террористов.",
        "По его словам, нападавшие действовали по единому плану, а силы ОДКБ взяли под охрану стратегические объекты.",
        "В городе продолжает действовать режим чрезвычайного положения, связь восстановлена не во всех районах.",
    ],
    "uk": [
        "Президент Казахстану Касим-Жомарт Токаєв заявив, що на Алмати напали двадцять тисяч терористів.",
        "За його словами, миротворчі сили ОДКБ охороняють стратегічні об'єкти країни.",
        "У місті діє надзвичайний стан, зв'язок відновлено не в усіх районах.",
    ],
    "kk": [
        "Қазақстан Президенті Қасым-Жомарт Тоқаев Алматыға жиырма мың террорист шабуыл жасады деп мәлімдеді.",
        "Оның айтуынша, ҰҚШҰ бітімгершілік күштері стратегиялық нысандарды күзетке алды.",
        "Қалада төтенше жағдай режимі сақталып отыр, байланыс барлық аудандарда қалпына келтірілген жоқ.",
    ],
    "en": [
        "Kazakhstan's president Kassym-Jomart Tokayev said that 20,000 terrorists had attacked Almaty.",
        "He said the attackers acted on a single plan, while CSTO forces guarded strategic sites across the country.",
        "A state of emergency remains in force in the city, and communications are not restored in every district.",
    ],
}


def article_page(
    title: str, paragraphs: list[str], *, views: int = 1024, date: str = "07.01.2022 10:15", padding: int = 0,
    ad: str = "Скидки до 50% на всё!", charset: str = "utf-8",
) -> bytes:
    """A news article page; `padding` adds that many related-story links, as outlets' sidebars do."""
    body = "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)
    related = "".join(
        f'<li><a href="/news/{n}">Другие новости дня: материал номер {n} о событиях в регионе</a></li>\n'
        for n in range(padding)
    )
    page = f"""<!DOCTYPE html>
<html lang="ru"><head><meta charset="{charset}"><title>{escape(title)} | Outlet</title>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
<style>.ad {{ display: block; }}</style></head>
<body>
<header><nav><a href="/">Главная</a> | <a href="/politics">Политика</a> | <a href="/economy">Экономика</a>
| <a href="/world">В мире</a> | <a href="/login">Войти</a></nav></header>
<div class="ad banner">{escape(ad)}</div>
<main>
<article>
<h1>{escape(title)}</h1>
<div class="meta"><time>{escape(date)}</time> <span class="views">{views} просмотров</span></div>
{body}
</article>
<aside><h3>Читайте также</h3><ul>
{related}</ul></aside>
<section class="comments"><h3>Комментарии</h3><div class="comment">Первый! {views}</div></section>
</main>
<footer>© 2022 Outlet. Все права защищены. <a href="/about">О редакции</a> <a href="/ads">Реклама</a></footer>
</body></html>"""
    return page.encode(charset, "replace")


def login_wall() -> bytes:
    return b"""<html><head><title>Sign in</title></head><body><form action="/login">
<p>Please sign in to read this article.</p><input name="user"><input name="password" type="password">
<button>Sign in</button></form></body></html>"""


def paywall_stub(title: str) -> bytes:
    return f"""<html><head><title>{escape(title)}</title></head><body><article><h1>{escape(title)}</h1>
<p>Subscribe to read the full story.</p><a href="/subscribe">Subscribe</a></article></body></html>""".encode()


def scripts_only() -> bytes:
    return b"<html><head><script>" + b"var x = 1;" * 5000 + b"</script></head><body><div id='app'></div></body></html>"
