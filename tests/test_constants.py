"""The shared constants: one email grammar, one quadrant table, and the content files agree with them."""
from __future__ import annotations

import re

import pytest
import yaml

from bot.config import ROOT, Settings
from bot.constants import (
    DEFAULT_PHONE,
    DEFAULT_RETENTION_DAYS,
    EMAIL_IN_TEXT,
    QUADRANT_LABELS,
    QUADRANTS,
    UK_TIMEZONE,
    is_email,
)
from bot.content import files
from bot.directory import vocabulary
from bot.oruk import schema

CONTENT = ROOT / "data" / "local_offer"


@pytest.mark.parametrize("value", ["jo@example.com", "jo.smith+send@school.essex.sch.uk", "o'neill@mail.co.uk",
                                   "  info@send.org  "])
def test_addresses_are_emails(value: str) -> None:
    assert is_email(value)


@pytest.mark.parametrize("value", ["not-an-email", "jo@example", "jo @ example.com", "jo@example.com and more",
                                   "@example.com", ""])
def test_other_text_is_not_an_email(value: str) -> None:
    assert not is_email(value)


def test_in_a_message_a_spaced_at_is_still_an_address() -> None:
    assert EMAIL_IN_TEXT.search("email mandy_b @ example.com please").group(0) == "mandy_b @ example.com"


def test_one_quadrant_table_for_content_directory_and_helpline() -> None:
    assert files.QUADRANTS == QUADRANTS == tuple(QUADRANT_LABELS)
    assert vocabulary.QUADRANT_LABELS is QUADRANT_LABELS
    helpline = yaml.safe_load((CONTENT / "helpline.yml").read_text(encoding="utf-8"))
    assert helpline["quadrant_names"] == QUADRANT_LABELS
    assert DEFAULT_PHONE in helpline["quadrant_phones"].values()


def test_content_and_oruk_read_the_same_days() -> None:
    assert files.DAYS == schema.DAYS


def test_settings_defaults_come_from_the_constants() -> None:
    assert Settings().retention_days == DEFAULT_RETENTION_DAYS
    assert Settings().timezone == UK_TIMEZONE
    assert yaml.safe_load((CONTENT / "helpline.yml").read_text(encoding="utf-8"))["timezone"] == UK_TIMEZONE


def test_no_module_writes_its_own_email_pattern() -> None:
    """The four email regexes became one; "jo at gmail dot com" (redact's spoken form) is a different thing."""
    own = re.compile(r"^\s*_?[A-Z_]*EMAIL[A-Z_]*\s*=\s*re\.compile", re.M)
    found = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "bot").rglob("*.py"))
             if path.name != "constants.py"
             and [m for m in own.findall(path.read_text(encoding="utf-8")) if "SPOKEN" not in m]]
    assert not found
