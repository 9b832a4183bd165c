"""Sources: turning what an admin types into a source, OPML, the config file, the default sources."""
