"""What officers learn from use: unanswered questions (spooled when the database is down), the inbox, the
dashboard, evaluation and training export."""
