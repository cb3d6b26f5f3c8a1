"""The people behind the assistant: handoff, the callback queue, opening hours, teams, staff users and look-up."""
