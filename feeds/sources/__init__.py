"""Sources: turning what an admin types into a source, the checks before one is added, OPML, the config file,
the default sources."""
