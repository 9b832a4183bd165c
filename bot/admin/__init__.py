"""Admins' commands: sources, topics and rules, topic titles per language, people, analyses, the audit log."""
