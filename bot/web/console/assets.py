"""GOV.UK Frontend's compiled CSS, JavaScript, fonts and images, served from node_modules.

Why /assets at the site root: the compiled stylesheet asks for its fonts and images at /assets/..., so the
files are served where it looks. `make` installs them (`npm ci`) from the exact version in package.json.
"""
from __future__ import annotations

import logging

from flask import Blueprint, abort, send_from_directory
from werkzeug.wrappers import Response

from bot.config import ROOT

GOVUK_DIST = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
ASSET_PATH = "/assets"
# The only files outside dist/govuk/assets a page loads (maps help staff report problems from the browser).
_BUNDLE = {"govuk-frontend.min.css", "govuk-frontend.min.css.map", "govuk-frontend.min.js",
           "govuk-frontend.min.js.map"}

govuk_assets = Blueprint("govuk_assets", __name__)
log = logging.getLogger(__name__)


@govuk_assets.get(f"{ASSET_PATH}/<path:filename>")
def asset(filename: str) -> Response:
    if not GOVUK_DIST.is_dir():
        log.warning("GOV.UK Frontend is not installed at %s: run 'make setup' (npm ci)", GOVUK_DIST)
        abort(404)
    if filename in _BUNDLE:
        return send_from_directory(GOVUK_DIST, filename, max_age=3600)
    return send_from_directory(GOVUK_DIST / "assets", filename, max_age=86400)
