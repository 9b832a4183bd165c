"""Matching throughput with 10, 1,000 and 10,000 rules, beside a naive one-regex baseline.

Run: .venv/bin/python bench/match_bench.py [--seconds N]
Two corpora: the real feeds of tests/corpus/real (ru, uk; news-length items, few matches)
and the labeled test items (one-liners in ru/uk/kk/en, most of them matching). MB/s counts
UTF-8 bytes of title and text, on one core. Rules: the default topics, then made-up names,
prefixes, phrases and AND NOT rules.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

import feedparser

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feeds.matching import compile_topics, default_topics  # noqa: E402
from feeds.matching.engine import clear_compile_caches  # noqa: E402
from feeds.matching.rules import all_terms, parse_rule  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "real"
LABELED = ROOT / "tests" / "data" / "labeled_items.jsonl"
_TAGS = re.compile(r"<[^>]+>")
_SYLLABLES = "ка ра зо ти мен лар ос ун бе жи ко ста ру ли ва пер дор ас та ми ер ол ба ен ну ги".split()
_LATIN_SYLLABLES = "ka ro zen ti mor lan os un be ji ko sta ru li va per dor as ta mi er ol ba en nu gi".split()


def feed_items() -> list[tuple[str, str]]:
    """(title, text) of every item of the real feeds: news-length texts, few matches."""
    items = []
    for path in sorted(CORPUS.glob("*.xml")):
        for entry in feedparser.parse(path.read_bytes()).entries:
            text = entry.get("summary", "") + " " + " ".join(c.get("value", "") for c in entry.get("content", []))
            items.append((entry.get("title", ""), _TAGS.sub(" ", text)))
    return items


def labeled_items() -> list[tuple[str, str]]:
    """(title, text) of the labeled test items: one-line texts, most of them matching."""
    records = [json.loads(line) for line in LABELED.read_text(encoding="utf-8").splitlines()]
    return [(r["title"], r["text"]) for r in records]


def synthetic_rules(count: int, seed: int = 7) -> dict[str, list[str]]:
    """The default topics plus made-up names, prefixes, phrases and AND NOT rules, 100 per topic."""
    rng = random.Random(seed)
    topics = {t.id: list(t.rules) for t in default_topics()}
    total = sum(len(r) for r in topics.values())
    while total < count:
        kind = rng.random()
        if kind < 0.6:
            rule = _word(rng).capitalize()
        elif kind < 0.7:
            rule = _word(rng) + "*"
        elif kind < 0.85:
            rule = f'"{_word(rng)} {_word(rng)}"'
        else:
            rule = f"{_word(rng)} AND NOT {_word(rng)}"
        topics.setdefault(f"t{total // 100}", []).append(rule)
        total += 1
    if count < total:
        topics = _first_rules(topics, count)
    return topics


def _word(rng: random.Random) -> str:
    syllables = _SYLLABLES if rng.random() < 0.8 else _LATIN_SYLLABLES
    return "".join(rng.choice(syllables) for _ in range(rng.randint(3, 4)))


def _first_rules(topics: dict[str, list[str]], count: int) -> dict[str, list[str]]:
    kept: dict[str, list[str]] = {}
    for topic, rules in topics.items():
        for rule in rules:
            if count == 0:
                return kept
            kept.setdefault(topic, []).append(rule)
            count -= 1
    return kept


def naive_baseline(topics: dict[str, list[str]]):
    """What peers do: one case-insensitive alternation of every term, as substrings."""
    terms = set()
    for rules in topics.values():
        for rule in rules:
            for term in all_terms(parse_rule(rule)):
                terms.add(" ".join(w.strip("*=") for w in term.words))
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    return lambda title, text: (pattern.findall(title), pattern.findall(text))


def throughput(match, items, seconds: float) -> tuple[float, float, int]:
    """(MB/s, items/s, matched items) over repeated passes for about `seconds`."""
    size = sum(len(t.encode()) + len(x.encode()) for t, x in items)
    passes, matched, started = 0, 0, time.perf_counter()
    while True:
        for title, text in items:
            if _matched(match(title, text)):
                matched += 1
        passes += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            break
    return size * passes / elapsed / 1e6, len(items) * passes / elapsed, matched // passes


def _recompile_seconds(topics: dict[str, list[str]]) -> float:
    """What the collector pays when an admin adds one rule."""
    changed = {topic: list(rules) for topic, rules in topics.items()}
    changed["kazakhstan"].append('"новое правило" OR Новостан')
    started = time.perf_counter()
    compile_topics(changed)
    return time.perf_counter() - started


def _matched(result) -> bool:
    return bool(result.topics) if hasattr(result, "topics") else any(result)


def forms_quality(lang: str, sample: int, seed: int = 3) -> None:
    """Word forms against the pymorphy3 dictionary (not a dependency of Dozor; measured here only).

    Recall: share of a lemma's dictionary forms that its rule matches. False friends: dictionary
    words of some other lemma that a rule matches.
    """
    import pymorphy3  # noqa: PLC0415 - optional, only for this measurement

    analyzer = pymorphy3.MorphAnalyzer(lang=lang)
    rng = random.Random(seed)
    kinds = {"name": [], "noun": [], "adjective": []}
    seen = 0
    for parse in analyzer.iter_known_word_parses():
        tag = parse.tag
        if parse.word != parse.normal_form or "nomn" not in tag or not parse.word.isalpha():
            continue
        kind = ("name" if {"Geox", "Surn"} & tag.grammemes else "noun") if tag.POS == "NOUN" else (
            "adjective" if tag.POS == "ADJF" else None)
        if kind is None:
            continue
        seen += 1
        bucket = kinds[kind]
        if len(bucket) < sample:
            bucket.append(parse)
        elif rng.random() < sample / seen:
            bucket[rng.randrange(sample)] = parse
    for kind, parses in kinds.items():
        lemmas = {p.word.capitalize() if kind == "name" else p.word: p for p in parses}
        matcher = compile_topics({lemma: [lemma] for lemma in lemmas})
        forms = [(lemma, form.word) for lemma, p in lemmas.items() for form in p.lexeme]
        found = sum(1 for lemma, form in forms if lemma in matcher.match("", form).topics)
        false = _false_friends(analyzer, matcher, lemmas)
        print(f"{lang} {kind:>9}: {len(lemmas)} lemmas, forms recall {found / len(forms):.3f} ({found}/{len(forms)}),"
              f" dictionary words of other lemmas matched: {false} ({false / len(lemmas):.2f} per rule)")


def _false_friends(analyzer, matcher, lemmas: dict) -> int:
    """Dictionary words a rule matches though the word is not a form of that rule's lemma."""
    false = 0
    chunk: list[str] = []
    checked: set[str] = set()

    def flush() -> int:
        text = "\n".join(chunk)
        count = 0
        for hit in matcher.match("", text).hits:
            word = text[hit.start:hit.end]
            if (word, hit.topic) in checked:
                continue
            checked.add((word, hit.topic))
            normal_forms = {p.normal_form for p in analyzer.parse(word)}
            count += lemmas[hit.topic].normal_form not in normal_forms
        chunk.clear()
        return count

    for parse in analyzer.iter_known_word_parses():
        chunk.append(parse.word)
        if len(chunk) >= 20000:
            false += flush()
    return false + flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    parser.add_argument("--forms", type=int, default=0, metavar="N",
                        help="instead: word forms of N sampled lemmas per kind against pymorphy3's ru/uk dictionaries")
    args = parser.parse_args()
    if args.forms:
        for lang in ("ru", "uk"):
            forms_quality(lang, args.forms)
        return
    corpora = {"feeds": feed_items(), "labeled": labeled_items()}
    for name, items in corpora.items():
        size = sum(len(t.encode()) + len(x.encode()) for t, x in items)
        print(f"{name}: {len(items)} items, {size / 1e3:.0f} KB of title+text (UTF-8)")
    print(f"{'rules':>6} {'patterns':>8} {'compile s':>9} {'corpus':>8} {'MB/s':>6} {'items/s':>8} {'matched':>7}"
          f" | {'regex MB/s':>10} {'items/s':>8} {'matched':>7}")
    speed: dict[tuple[str, int], float] = {}
    for count in (10, 1000, 10000):
        topics = synthetic_rules(count)
        clear_compile_caches()
        started = time.perf_counter()
        matcher = compile_topics(topics)
        compiled = time.perf_counter() - started
        recompile = _recompile_seconds(topics)
        naive = naive_baseline(topics)
        for name, items in corpora.items():
            mbs, per_s, matched = throughput(matcher.match, items, args.seconds)
            base_mbs, base_per_s, base_matched = throughput(naive, items, args.seconds)
            speed[name, count] = mbs
            print(f"{count:>6} {matcher.pattern_count:>8} {compiled:>9.3f} {name:>8} {mbs:>6.1f} {per_s:>8.0f}"
                  f" {matched:>7} | {base_mbs:>10.2f} {base_per_s:>8.0f} {base_matched:>7}")
        print(f"{'':>6} recompile after one rule changed: {recompile:.3f} s")
    for name in corpora:
        print(f"{name}: slowdown from 10 to 10,000 rules {speed[name, 10] / speed[name, 10000]:.2f}x")


if __name__ == "__main__":
    main()
