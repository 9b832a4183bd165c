"""Running Dozor as one process or as a fleet: the roles a process runs, its heartbeat and metrics, the loops
of the roles that run without the Telegram Application (collector, sender), and what wakes them."""
