"""feedparser's author handling without its quadratic path.

feedparser looks for an e-mail address in an author's text with a regex that is quadratic in
the length of a run of letters: 64 KB of author text takes 15-30 s. The text reaches that regex
from many forms of markup (plain, split by comments, CDATA pieces or processing instructions,
character references, any encoding), so the cut is made where the regex is applied, on the
decoded text feedparser has assembled, rather than in the markup.
"""
from __future__ import annotations

from feedparser.mixin import _FeedParserMixin as FeedParserMixin  # private in 6.0: test_parse.py notices a change

AUTHOR_TEXT_LIMIT = 512


def limit_author_text() -> None:
    """Make feedparser cut author and publisher text to AUTHOR_TEXT_LIMIT characters before its e-mail search."""
    search = FeedParserMixin._sync_author_detail
    if getattr(search, "limited", False):
        return

    def sync_author_detail(parser, key="author"):
        context = parser._get_context()
        text = context.get(key)
        if isinstance(text, str) and len(text) > AUTHOR_TEXT_LIMIT:
            context[key] = text[:AUTHOR_TEXT_LIMIT]
        search(parser, key)

    sync_author_detail.limited = True
    FeedParserMixin._sync_author_detail = sync_author_detail
