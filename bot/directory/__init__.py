"""The directory of services: search, the words families use for places and needs, and coverage gaps."""
