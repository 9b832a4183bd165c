"""Admins' commands: sources and OPML files, topics and rules, people, channels Dozor posts into, analyses, the audit log."""
