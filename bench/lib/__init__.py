"""Helpers for the scripts in bench/: statistics, process memory and server start-up.

Why a package beside the scripts: the scripts run as plain files (`python bench/load_bench.py`), and the
pure parts are tested on their own (tests/bench/)."""
