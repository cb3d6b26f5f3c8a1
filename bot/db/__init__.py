"""The data layer: models, the engine and session, migrations and verb-first query functions."""
