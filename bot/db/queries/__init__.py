"""Verb-first query functions, one module per entity. Each takes the session explicitly and returns
plain objects, never Query objects, so callers cannot add SQL of their own."""
