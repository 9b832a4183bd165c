"""The community's analyses: storing them with their citations and linking them to items (cited or similar)."""
