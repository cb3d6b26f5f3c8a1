"""The answer bank in the console: list answers by topic (with those needing a re-read and the thin topics),
edit or create one, and turn a family's unanswered question into a new wording of an answer.

Why every save recomputes the vectors at once: the chat finds answers by the stored vectors of their wordings,
and its index notices the new `updated_at`, so what an officer saves is what the next family gets, with no
retraining. The rules of a valid answer are in bot.answers.rules (the loader applies the same); each change
and its audit row are written in one transaction, and nothing at all on any error. After a change is committed
the answer model is refitted in a background thread (bot.answers.answer_model.refit_later): the request does not
wait for it, and until it lands the changed answer is scored without that term.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField, SubmitField, TextAreaField

from bot.answers.answer_model import refit_later
from bot.answers.editing import AnswerEditError, add_question_as_variant, save_answer
from bot.answers.retrieval import find_answers
from bot.answers.rules import MAX_CHARACTERS, MAX_VARIANTS, MAX_WORDS, MIN_VARIANTS, split_variants
from bot.db.queries.answers import count_answers_by_topic, get_answer, list_answer_topics, list_answers
from bot.db.queries.audit import list_audit, record_audit
from bot.db.queries.inbox import list_questions_by_ids
from bot.web.console import console, console_session
from bot.web.console.auth import current_staff, role_required, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ROLES = ("officer",)
FEW_ANSWERS = 5  # a topic with fewer answers than this is shown as thin on the coverage list
SUGGESTIONS = 5


class AnswerForm(FlaskForm):
    """One answer's fields as an officer writes them; other wordings are one a line."""

    answer_id = StringField("Answer id", widget=GovTextInput(),
                            description="Lower-case words joined by hyphens, for example annual-review-how-often. "
                                        "It cannot be changed later.")
    topic = SelectField("Topic", widget=GovSelect(), validate_choice=False)
    question = StringField("Question", widget=GovTextInput(),
                           description="The question as a parent would ask it, in full.")
    variants = TextAreaField("Other ways of asking", widget=GovTextArea(),
                             description=f"Between {MIN_VARIANTS} and {MAX_VARIANTS}, one a line: the words families "
                                         "use, spelling slips and all.")
    answer = TextAreaField("Answer", widget=GovTextArea(),
                           description=f"Plain English, at most {MAX_WORDS} words and {MAX_CHARACTERS:,} characters, "
                                       "no HTML. Families see it as soon as you save.")
    submit = SubmitField("Save answer", widget=GovSubmitInput())


def _staff_name() -> str:
    staff = current_staff()
    assert staff is not None
    return staff.username


@console.get("/answers")
@role_required(*ROLES)
def answers() -> str:
    topic = request.args.get("topic") or None
    with console_session() as db:
        topics = list_answer_topics(db)
        titles = {t.topic: t.title for t in topics}
        if topic and topic not in titles:
            abort(404)
        rows = list_answers(db, topic)
        counts = count_answers_by_topic(db)
        checking: dict[str, int] = {}
        for row in list_answers(db):
            checking[row.topic] = checking.get(row.topic, 0) + (1 if row.verify else 0)
        answer_rows = [{"id": r.id, "topic": r.topic, "question": r.question, "verify": bool(r.verify),
                        "verify_note": r.verify_note, "variants": len(r.variants or []), "source": r.source,
                        "updated_at": r.updated_at, "updated_by": r.updated_by} for r in rows]
        changes = [c for c in list_audit(db, limit=200) if c.action.startswith("answer.")][:10]
    grouped: dict[str, list[dict[str, Any]]] = {}
    for item in answer_rows:
        grouped.setdefault(item["topic"], []).append(item)
    thin = sorted(((titles[t], t, n) for t, n in counts.items() if n < FEW_ANSWERS), key=lambda x: (x[2], x[0]))
    summary = sorted(((titles[t], t, counts.get(t, 0), checking.get(t, 0)) for t in titles), key=lambda x: x[0])
    return render_template("console/officer/answers.html", grouped=grouped, titles=titles, summary=summary,
                           thin=thin, few=FEW_ANSWERS, topic=topic, total=sum(counts.values()),
                           needs_checking=sum(checking.values()),
                           changes=changes)


def _topic_choices(db: Session) -> list[tuple[str, str]]:
    return [("", "Choose a topic")] + [(t.topic, t.title) for t in list_answer_topics(db)]


def _save(form: AnswerForm, answer_id: str, creating: bool) -> str | None:
    """Write the form (and its audit row) in one transaction; on any problem write nothing and mark the fields."""
    variants = split_variants(form.variants.data or "")
    try:
        with console_session() as db:
            row = save_answer(db, answer_id=answer_id, topic=form.topic.data or "", question=form.question.data or "",
                              variants=variants, answer=form.answer.data or "", actor=_staff_name(), now=utcnow(),
                              creating=creating)
            record_audit(db, _staff_name(), "answer.create" if creating else "answer.edit", target=row.id,
                         detail={"topic": row.topic, "variants": len(variants)})
            saved = cast(str, row.id)
    except AnswerEditError as error:
        for name, message in error.problems.items():
            getattr(form, name).errors = [message]
        return None
    _refit_answer_model()
    return saved


def _refit_answer_model() -> None:
    """After a committed change: refit the answer model in the background (the edit is already live)."""
    refit_later(current_app.config["SETTINGS"].database_url)


@console.route("/answers/<answer_id>/edit", methods=["GET", "POST"])
@role_required(*ROLES)
def answer_edit(answer_id: str) -> str | Response:
    with console_session() as db:
        row = get_answer(db, answer_id) if len(answer_id) <= 100 else None
        if row is None:
            abort(404)
        form = AnswerForm()
        form.topic.choices = _topic_choices(db)
        history = list_audit(db, limit=20, target=answer_id)
        current = {"id": row.id, "topic": row.topic, "verify": row.verify, "verify_note": row.verify_note,
                   "source": row.source, "facts": list(row.facts or []), "sources": list(row.sources or [])}
        if not form.is_submitted():
            form.topic.data, form.question.data, form.answer.data = row.topic, row.question, row.answer
            form.variants.data = "\n".join(row.variants or [])
    if form.is_submitted():
        form.answer_id.data = answer_id
        if _save(form, answer_id, creating=False):
            flash("Answer saved. It applies now: the assistant's next answer uses it, with no retraining.", "success")
            return redirect(url_for("console.answer_edit", answer_id=answer_id))
    return render_template("console/officer/answers_edit.html", form=form, answer=current, creating=False,
                           history=history, has_errors=bool(form.errors))


@console.route("/answers/new", methods=["GET", "POST"])
@role_required(*ROLES)
def answer_new() -> str | Response:
    with console_session() as db:
        form = AnswerForm()
        form.topic.choices = _topic_choices(db)
        if not form.is_submitted():
            form.topic.data = request.args.get("topic", "")
            question_id = request.args.get("question_id", type=int)
            if question_id:
                found = list_questions_by_ids(db, [question_id])
                if found:
                    form.question.data = found[0].text_redacted
    if form.is_submitted():
        answer_id = (form.answer_id.data or "").strip()
        if _save(form, answer_id, creating=True):
            flash("Answer created. It applies now: families can be given it from their next question.", "success")
            return redirect(url_for("console.answer_edit", answer_id=answer_id))
    return render_template("console/officer/answers_edit.html", form=form, answer=None, creating=True, history=[],
                           has_errors=bool(form.errors))


@console.get("/answers/add-question")
@role_required(*ROLES)
def answer_add_question() -> str | Response:
    """From the inbox: the answers closest to a family's question, to add it to one as another wording."""
    question_id = request.args.get("question_id", type=int)
    with console_session() as db:
        found = list_questions_by_ids(db, [question_id]) if question_id else []
        if not found:
            abort(404)
        question = found[0]
        hits = find_answers(db, question.text_redacted, limit=SUGGESTIONS)
    return render_template("console/officer/answers_add_question.html", question=question, hits=hits,
                           csrf=generate_csrf())


@console.post("/answers/add-question")
@role_required(*ROLES)
def answer_add_question_save() -> Response:
    question_id = request.form.get("question_id", type=int)
    answer_id = (request.form.get("answer_id") or "").strip()
    back = url_for("console.answer_add_question", question_id=question_id) if question_id else url_for("console.inbox")
    try:
        with console_session() as db:
            found = list_questions_by_ids(db, [question_id]) if question_id else []
            if not found:
                abort(404)
            row = add_question_as_variant(db, answer_id, found[0].text_redacted, _staff_name(), utcnow())
            record_audit(db, _staff_name(), "answer.add_variant", target=row.id,
                         detail={"question_id": question_id, "variants": len(row.variants)})
    except AnswerEditError as error:
        flash("Nothing was changed: " + " ".join(error.problems.values()) + ".", "problem")
        return redirect(back)
    _refit_answer_model()
    flash(f"The question is now another way of asking '{row.question}'. It applies now, with no retraining.",
          "success")
    return redirect(url_for("console.answer_edit", answer_id=row.id))
