"""The Local Offer assistant's own logic: database, search, guidance, handoff, review, web and CLI.

Nothing in this package imports Rasa, so the console, the CLI and the tests can use it alone.
"""
