"""Pieces of personal-data redaction that are too big for bot/redact.py: the first-name lists and how
they are built. bot/redact.py stays the one entry point (`redact`)."""
