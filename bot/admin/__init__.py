"""Admins' commands: sources, topics and rules, people, analyses, the audit log."""
