"""Custom Rasa NLU components. Thin: the logic lives in `bot/`, which never imports Rasa."""
