"""The command line (`python -m bot ...`): set-up, helpline look-ups, officers' checks and staff users."""
