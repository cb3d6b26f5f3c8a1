"""Load the Local Offer content folder into the database: validate everything, then write in one transaction."""
from __future__ import annotations

from pathlib import Path

from bot.answers.answer_model import refit_answer_model
from bot.answers.vectors import attach_vectors
from bot.content.files import read_content
from bot.db.queries.content import replace_content
from bot.db.session import session_scope


def load_content(directory: Path, database_url: str | None = None) -> dict[str, int]:
    """Validate `directory` (raising ContentError with every problem) and replace the stored content."""
    content = read_content(directory)
    attach_vectors(content.answer_topics)  # before the transaction: encoding is slow, writing is not
    with session_scope(database_url) as session:
        counts = replace_content(session, content)
    # After the content is committed: the answer model is fitted on what is now stored, console edits included.
    model = refit_answer_model(database_url)
    counts["answers in the answer model"] = len(model.classifier.labels) if model else 0
    return counts
