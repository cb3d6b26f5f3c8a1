"""Personal data: `redact` (bot/privacy/redact.py) removes it before anything is stored for officers to review,
with the name lists, date and reference finders beside it; `purge` deletes what families told us after the
retention period."""
