"""The helpline pages: search over services and guidance, and the handoff queue with its audit trail."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from bot.db import models as m
from bot.db.queries.handoff import get_handoff_request, record_handoff_request
from bot.db.session import session_scope
from bot.helpline.handoff import format_transcript, new_reference
from bot.helpline.lookup import clean_query, look_up, words_of
from bot.helpline.queue import QueueError, finish, take

T0 = datetime(2030, 5, 6, 10, 30)


def _handoff(url: str, kind: str = "callback", reason: str = "asked", status: str = "new", **extra) -> str:
    reference = new_reference()
    turns = [("user", "My son Jake Smith needs speech therapy, call 07700 900123 or jo@example.com"),
             ("bot", "I can ask the SEND team to call you back.")]
    details = {"first_name": "Jo", "contact": "07700900123", "consent": True,
               "consent_text": "Yes, you can call me back"} if kind == "callback" else {}
    with session_scope(url) as db:
        item = record_handoff_request(db, reference=reference, conversation_id="conv-" + reference, reason=reason,
                                      topic="find_service", kind=kind, transcript_redacted=format_transcript(turns),
                                      **{**details, **extra})
        item.status = status
    return reference


def _audit(url: str, target: str) -> list[m.AuditEvent]:
    with session_scope(url) as db:
        query = select(m.AuditEvent).where(m.AuditEvent.target == target).order_by(m.AuditEvent.id)
        return list(db.execute(query).scalars())


# ---- search ------------------------------------------------------------------------------------------------

def test_search_box_is_autofocused_and_empty_query_is_kindly_answered(signed_in_client) -> None:
    client = signed_in_client("helpline")
    first = client.get("/console/search").get_data(as_text=True)
    assert re.search(r'<input[^>]+id="q"[^>]+autofocus', first)
    assert "Type a few words" not in first  # nothing asked yet: no telling-off
    empty = client.get("/console/search?q=+++").get_data(as_text=True)
    assert "Type a few words about what the family needs" in empty


def test_search_shows_services_with_phone_website_areas_and_who_for(signed_in_client) -> None:
    html = signed_in_client("helpline").get("/console/search?q=speech+therapy+colchester+age+7").get_data(as_text=True)
    assert "Colchester Speech and Language Drop-in" in html
    assert "01632 960171" in html  # phone
    assert "ages 2 to 11" in html  # who it's for
    assert ">Colchester<" in html  # areas
    assert "https://example.org/childrens-therapies/colchester-salt-dropin" in html  # website
    # What families see in the chat, so the worker can read the same listing out (#17 item 9).
    assert "Meet a speech and language therapist for a short play-based session" in html  # description
    assert "Families can refer themselves. Book a slot by phone or email." in html  # how to get it
    assert "colchester-salt-dropin@example.org" in html and ">Free<" in html  # email and cost
    assert "for speech and language therapy in Colchester, age 7" in html  # what the search understood
    assert "<title>speech therapy colchester age 7 – Search" in html


def test_search_says_how_many_and_more_than_when_the_chat_search_stopped_counting(signed_in_client,
                                                                                  monkeypatch) -> None:
    import bot.directory.search as directory

    client = signed_in_client("helpline")
    exact = client.get("/console/search?q=essex").get_data(as_text=True)
    shown = re.search(r"(\d+) of (\d[\d,]*) shown", exact)
    assert shown and int(shown.group(2).replace(",", "")) >= int(shown.group(1)) > 1
    monkeypatch.setattr(directory, "_BOT_COUNT_CAP", 1)
    capped = client.get("/console/search?q=essex").get_data(as_text=True)
    assert "10 of more than 10 shown" in capped  # the cap is never below the page asked for


def test_search_shows_guidance_with_summary_and_last_checked(signed_in_client, session) -> None:
    from bot.guidance.articles import get_guidance

    article = get_guidance(session, "annual_review")
    assert article is not None
    html = signed_in_client("helpline").get("/console/search?q=annual+review").get_data(as_text=True)
    assert article.title in html
    assert article.summary.split(".")[0].replace("'", "&#39;") in html
    assert f"Last checked {article.last_checked_text}" in html


def test_search_with_no_match_says_what_to_try(signed_in_client) -> None:
    html = signed_in_client("helpline").get("/console/search?q=zzzzqqq").get_data(as_text=True)
    assert "Nothing matched “zzzzqqq”" in html and "Try fewer words" in html


def test_search_points_outside_essex_families_to_their_own_local_offer(signed_in_client) -> None:
    html = signed_in_client("helpline").get("/console/search?q=autism+southend").get_data(as_text=True)
    assert "outside Essex County Council" in html and "Southend" in html


def test_search_escapes_what_was_typed(signed_in_client) -> None:
    html = signed_in_client("helpline").get("/console/search?q=%3Cscript%3Ealert(1)%3C/script%3E").get_data(
        as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_search_is_the_same_as_the_chat_search(session) -> None:
    from bot.directory.for_chat import find_services_for_family

    family = find_services_for_family(text="autism basildon", limit=10)
    result = look_up(session, "autism basildon")
    assert [s.name for s in result.services] == [c.name for c in family.result.cards]


def test_query_cleaning_and_words() -> None:
    assert clean_query("  annual \n review ") == "annual review"
    assert len(clean_query("x" * 500)) == 200
    assert words_of("What are the plans for my son?") == {"plan"}


# ---- queue -------------------------------------------------------------------------------------------------

def test_queue_lists_and_filters_by_status(console_app: Flask, signed_in_client) -> None:
    url = console_app.config["SETTINGS"].database_url
    new_ref, done_ref = _handoff(url), _handoff(url, kind="contact", status="done")
    client = signed_in_client("helpline")
    everything = client.get("/console/queue").get_data(as_text=True)
    assert new_ref in everything and done_ref in everything
    only_new = client.get("/console/queue?status=new").get_data(as_text=True)
    assert new_ref in only_new and done_ref not in only_new
    assert 'aria-current="page">New (' in only_new
    assert client.get("/console/queue?status=nonsense").status_code == 200  # ignored, not an error


def test_queue_shows_the_familys_area_and_filters_by_team(console_app: Flask, signed_in_client) -> None:
    """Issue #17 item 9: a callback is routed to a quadrant's team without reading the transcript."""
    url = console_app.config["SETTINGS"].database_url
    colchester = _handoff(url, area="Colchester", quadrant="north_east")
    unknown = _handoff(url)
    client = signed_in_client("helpline")
    html = client.get("/console/queue").get_data(as_text=True)
    assert '<th scope="col" class="govuk-table__header">Area</th>' in html
    assert "Colchester (North East Essex)" in html and "Not given" in html
    only_ne = client.get("/console/queue?team=north_east").get_data(as_text=True)
    assert colchester in only_ne and unknown not in only_ne
    assert 'aria-current="page">North East Essex<' in only_ne
    assert unknown in client.get("/console/queue?team=nonsense").get_data(as_text=True)  # ignored, not an error
    item = client.get(f"/console/queue/{colchester}").get_data(as_text=True)
    assert "Colchester (North East Essex)" in item
    assert "Not given in the conversation" in client.get(f"/console/queue/{unknown}").get_data(as_text=True)


def test_queue_item_shows_redacted_transcript_and_callback_details(console_app: Flask, signed_in_client) -> None:
    url = console_app.config["SETTINGS"].database_url
    reference = _handoff(url)
    html = signed_in_client("helpline").get(f"/console/queue/{reference}").get_data(as_text=True)
    assert "My son [name] needs speech therapy, call [phone] or [email]" in html
    assert "Jake" not in html and "jo@example.com" not in html
    assert "07700900123" in html and "Yes, you can call me back" in html  # the callback details, given with consent
    assert "Follow the safeguarding procedure" not in html
    assert "Take this" in html and "Mark as done" in html


def test_immediate_risk_and_possible_concern_are_separate_kinds_with_counts_reason_and_preview(
        console_app: Flask, signed_in_client) -> None:
    url = console_app.config["SETTINGS"].database_url
    with session_scope(url) as db:
        for row in db.execute(select(m.HandoffRequest)).scalars():
            db.delete(row)
    concern = _handoff(url, kind="concern", reason="safeguarding", flag_reason="distress")
    risk = _handoff(url, kind="flag", reason="safeguarding", flag_reason="suicide_self_harm")
    lean = _handoff(url, kind="concern", reason="safeguarding", flag_reason="classifier 0.41")
    callback = _handoff(url)
    client = signed_in_client("helpline")
    html = client.get("/console/queue").get_data(as_text=True)
    assert "Immediate risk (1 open)" in html and "Possible concern (2 open)" in html and "Callback (1 open)" in html
    # Immediate risk first, possible concerns after the families waiting for a person.
    order = [html.index(ref) for ref in (risk, callback, lean, concern)]
    assert order == sorted(order[:2]) + order[2:] and order[1] < min(order[2:])
    assert "Suicide self harm" in html and "Distress" in html
    assert "The assistant&#39;s model leaned towards safeguarding (0.41)" in html
    assert "My son [name] needs speech therapy" in html and "Jake" not in html  # the redacted preview
    assert "Finding services and support in Essex" in html and "find_service" not in html  # topics in plain words
    only_concerns = client.get("/console/queue?kind=concern").get_data(as_text=True)
    assert concern in only_concerns and lean in only_concerns and risk not in only_concerns
    risk_page = client.get(f"/console/queue/{risk}").get_data(as_text=True)
    assert "Immediate risk" in risk_page and "Follow the safeguarding procedure" in risk_page
    assert "Safeguarding: Suicide self harm" in risk_page
    concern_page = client.get(f"/console/queue/{concern}").get_data(as_text=True)
    assert "Possible concern" in concern_page and "Follow the safeguarding procedure" not in concern_page


def test_take_then_done_changes_the_request_and_writes_audit_rows(console_app: Flask, signed_in_client,
                                                                  csrf_token) -> None:
    url = console_app.config["SETTINGS"].database_url
    reference = _handoff(url)
    client = signed_in_client("helpline")
    page = f"/console/queue/{reference}"

    taken = client.post(f"{page}/take", data={"csrf_token": csrf_token(client, page)}, follow_redirects=True)
    assert taken.status_code == 200 and f"You have taken {reference}" in taken.get_data(as_text=True)
    with session_scope(url) as db:
        item = get_handoff_request(db, reference)
        assert item and item.status == "in_progress" and item.taken_by == client.staff.username and item.taken_at

    done = client.post(f"{page}/done", data={"csrf_token": csrf_token(client, page)}, follow_redirects=True)
    assert f"{reference} is marked as done" in done.get_data(as_text=True)
    with session_scope(url) as db:
        item = get_handoff_request(db, reference)
        assert item and item.status == "done" and item.done_at

    events = _audit(url, reference)
    assert [e.action for e in events] == ["handoff_taken", "handoff_done"]
    assert all(e.actor == client.staff.username for e in events)
    assert events[0].detail["before"]["status"] == "new" and events[1].detail["after"]["status"] == "done"

    again = client.post(f"{page}/done", data={"csrf_token": csrf_token(client, page)}, follow_redirects=True)
    assert "is already done" in again.get_data(as_text=True)
    assert len(_audit(url, reference)) == 2  # a refused move writes nothing


def test_queue_post_without_csrf_changes_nothing(console_app: Flask, signed_in_client) -> None:
    url = console_app.config["SETTINGS"].database_url
    reference = _handoff(url)
    client = signed_in_client("helpline")
    response = client.post(f"/console/queue/{reference}/take")
    assert response.status_code == 400 and "nothing was changed" in response.get_data(as_text=True)
    with session_scope(url) as db:
        item = get_handoff_request(db, reference)
        assert item and item.status == "new" and item.taken_by is None
    assert _audit(url, reference) == []


def test_queue_needs_sign_in_and_unknown_references_are_404(console_app: Flask, signed_in_client) -> None:
    url = console_app.config["SETTINGS"].database_url
    reference = _handoff(url)
    anonymous = console_app.test_client()
    assert anonymous.get(f"/console/queue/{reference}").status_code == 302
    assert anonymous.post(f"/console/queue/{reference}/take").status_code in (302, 400)
    client = signed_in_client("helpline")
    assert client.get("/console/queue/LO-ZZZZZZ").status_code == 404
    assert client.get("/console/queue/../../etc").status_code == 404


def test_admin_sees_queue_actions_in_the_audit_log(console_app: Flask, signed_in_client, csrf_token) -> None:
    url = console_app.config["SETTINGS"].database_url
    reference = _handoff(url)
    worker = signed_in_client("helpline")
    worker.post(f"/console/queue/{reference}/take", data={"csrf_token": csrf_token(worker, "/console/queue")})
    html = signed_in_client("admin").get("/console/audit?action=handoff_taken").get_data(as_text=True)
    assert reference in html and worker.staff.username in html


# ---- queue rules -------------------------------------------------------------------------------------------

def _request(**fields) -> m.HandoffRequest:
    return m.HandoffRequest(reference="LO-TEST22", status=fields.pop("status", "new"), **fields)


def test_taking_a_colleagues_request_moves_it_and_keeps_who_had_it() -> None:
    item = _request(status="in_progress", taken_by="sam")
    change = take(item, "alex", T0)
    assert item.taken_by == "alex" and item.taken_at == T0
    assert change.before == {"status": "in_progress", "taken_by": "sam"}


def test_you_cannot_take_twice_or_move_a_done_request() -> None:
    mine = _request(status="in_progress", taken_by="alex")
    with pytest.raises(QueueError, match="already taken"):
        take(mine, "alex", T0)
    done = _request(status="done")
    for move in (take, finish):
        with pytest.raises(QueueError, match="already done"):
            move(done, "alex", T0)


def test_finishing_an_untaken_request_records_who_finished_it() -> None:
    item = _request()
    change = finish(item, "alex", T0 + timedelta(minutes=5))
    assert item.status == "done" and item.taken_by == "alex" and item.done_at == T0 + timedelta(minutes=5)
    assert change.after["done_by"] == "alex"
