"""A guidance section's "last checked" date follows the shared rule (bot/last_checked.py), per section."""
from __future__ import annotations

from datetime import date

from bot.guidance.articles import Guidance


def _article(**overrides: object) -> Guidance:
    fields: dict[str, object] = dict(
        topic="annual_review", title="Annual reviews", summary="Once a year.", sections={"steps": ["Meet."]},
        source_url="https://www.legislation.gov.uk/", local_offer_url="https://send.essex.gov.uk/",
        last_checked=date(2026, 12, 6), review_due=date(2027, 6, 6),
        sources={"summary": [{"url": "a", "page_date": None, "checked": "2026-12-06"},
                             {"url": "b", "page_date": None, "checked": "2026-12-05"}],
                 "steps": [{"url": "c", "page_date": None, "checked": "2026-12-06"}]},
        verify={"steps": "Re-read the undated page."})
    fields.update(overrides)
    return Guidance(**fields)  # type: ignore[arg-type]


def test_a_section_shows_its_oldest_check_unless_it_must_be_re_read() -> None:
    article = _article()
    assert article.checked_on("summary") == date(2026, 12, 5)
    assert article.checked_text("summary") == "5 December 2026"
    assert article.checked_on("steps") is None and article.checked_text("steps") == ""  # marked for re-reading
    assert article.checked_on("timescales") is None  # no sources recorded
    assert _article(verify={}).checked_text("steps") == "6 December 2026"


def test_a_typed_section_word_must_be_a_whole_word() -> None:
    """"whens the latest they can say yes or no" is not asking what to do if it goes wrong ("late" is not in
    "latest"), nor "anymore" for more steps; the words themselves and their plurals still name their sections."""
    from bot.guidance.articles import section_from_text

    assert section_from_text("whens the latest they can say yes or no") is None
    assert section_from_text("he doesn't go anymore") is None
    assert section_from_text("what if the council is late") == "if_it_goes_wrong"
    assert section_from_text("what are the deadlines") == "timescales"
    assert section_from_text("what happens next") == "steps"
