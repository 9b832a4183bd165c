"""Admins' commands: sources and OPML files, topics and rules, topic titles per language, people, channels Dozor
posts into, analyses, the audit log."""
