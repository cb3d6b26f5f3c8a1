"""Facts about Essex and its SEND services that several packages need, written down once.

Why one module: a quadrant's name, the fallback phone number or the shape of an email address used to be
typed in two to four places, and a correction made in one of them left the others saying something else.
Everything here is a plain value with no imports from the rest of `bot`, so every layer may use it.
What officers change (numbers, hours, wording) stays in `data/local_offer/`; these are only the defaults
used when that data cannot be read, and the fixed vocabulary the data itself is checked against.
"""
from __future__ import annotations

import re
from typing import Final

# The four ECC quadrants, in the order the content files and the console list them.
QUADRANT_LABELS: Final[dict[str, str]] = {
    "north_east": "North East Essex",
    "mid": "Mid Essex",
    "south": "South Essex",
    "west": "West Essex",
}
QUADRANTS: Final[tuple[str, ...]] = tuple(QUADRANT_LABELS)

# Given when helpline.yml cannot be read: a family who needs a person must never get silence. Mid Essex's
# SEND Operations team; the file gives every quadrant's own number.
DEFAULT_PHONE: Final = "0333 013 9949"
DEFAULT_HELPLINE_NAME: Final = "Essex SEND Operations"
# The Local Offer site, where families find their own team if the content cannot be read.
SEND_WEB: Final = "https://send.essex.gov.uk/"

# Every clock a family or an officer sees is UK local time (British Summer Time included).
UK_TIMEZONE: Final = "Europe/London"
# Written out in English whatever the server's locale (`calendar.month_name` follows the locale).
MONTH_NAMES: Final = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December")
DAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Opening days as ORUK / iCalendar write them (BYDAY), Monday first like `date.weekday()`.
DAY_CODES: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# How long unanswered questions, handoffs and transcripts are kept (the privacy notice promises this).
DEFAULT_RETENTION_DAYS: Final = 90

# One email grammar for the whole project: what a form or a feed may hold as an address, and what the
# redactor removes from a message. In chat, families also type "jo @ example.com", so the in-text pattern
# allows one space either side of the "@"; a stored address may not.
_EMAIL_LOCAL = r"[\w.+'-]+"
_EMAIL_DOMAIN = r"[\w-]+(?:\.[\w-]+)+"
EMAIL: Final = re.compile(rf"{_EMAIL_LOCAL}@{_EMAIL_DOMAIN}")
EMAIL_IN_TEXT: Final = re.compile(rf"{_EMAIL_LOCAL} ?@ ?{_EMAIL_DOMAIN}")


def is_email(value: str) -> bool:
    """The whole of `value` is one email address (a callback contact, a service's address in a feed)."""
    return EMAIL.fullmatch(value.strip()) is not None
