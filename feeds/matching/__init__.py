"""Topic matching: rules in a small language, every word form and script, one automaton for all."""
from feeds.matching.engine import Hit, Matcher, MatchResult, check_rule, compile_topics
from feeds.matching.rules import RuleSyntaxError
from feeds.matching.topics import TopicSpec, default_narratives, default_topics

__all__ = [
    "Hit", "MatchResult", "Matcher", "RuleSyntaxError", "TopicSpec", "check_rule", "compile_topics", "default_narratives",
    "default_topics",
]
