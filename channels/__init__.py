"""Rasa input channels of our own (loaded by Rasa from credentials.yml by class path)."""
