"""Tables shaped on Open Referral UK (HSDS 3.0 profile), plus the assistant's own guidance articles.

Why ORUK: a council's real directory is published in this shape, so keeping our names and links close
to it means `import-oruk` can load a real feed without reshaping. Codes for areas and taxonomy terms
come from `data/local_offer/` and are stable strings, so training data and content can refer to them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

if TYPE_CHECKING:
    # SQLAlchemy 1.4 ships no type information, so `declarative_base()` is Any to mypy and cannot be a
    # base class. mypy sees this stand-in instead; the columns stay Any, as they are without stubs.
    class Base:
        __tablename__: ClassVar[str]
        __table__: ClassVar[Any]
        metadata: ClassVar[Any]

        def __init__(self, **kwargs: Any) -> None: ...

else:
    Base = declarative_base()


class Organization(Base):
    __tablename__ = "organization"

    id = Column(String(100), primary_key=True)
    name = Column(String(255))
    description = Column(Text, default="")
    url = Column(String(500))
    email = Column(String(255))

    services = relationship("Service", back_populates="organization")


class Service(Base):
    __tablename__ = "service"

    id = Column(String(100), primary_key=True)
    organization_id = Column(ForeignKey("organization.id"), index=True)
    name = Column(String(255))
    description = Column(Text, default="")
    status = Column(String(20), default="active", index=True)
    minimum_age = Column(Integer)
    maximum_age = Column(Integer)
    url = Column(String(500))
    email = Column(String(255))
    eligibility = Column(Text, default="")
    referral = Column(Text, default="")
    assured_date = Column(Date)
    is_example = Column(Boolean, default=False)
    # Name, description and taxonomy words joined once at load time, so full-text search reads one column.
    search_text = Column(Text, default="")
    # 'content' (written by `python -m bot load`) or 'oruk' (by `import-oruk`): each replaces only its own.
    source = Column(String(10), default="content")
    # Where the listing's details come from: [{url, page_date, checked}] (data/local_offer/README.md), and
    # whether an officer must re-read the live page because every source is undated or older than 2022.
    sources = Column(JSON, default=list)
    needs_verify = Column(Boolean, default=False)
    verify_note = Column(Text, default="")

    organization = relationship("Organization", back_populates="services")
    phones = relationship("Phone", cascade="all, delete-orphan")
    contacts = relationship("Contact", cascade="all, delete-orphan")
    schedules = relationship("Schedule", cascade="all, delete-orphan")
    cost_options = relationship("CostOption", cascade="all, delete-orphan")
    service_areas = relationship("ServiceArea", cascade="all, delete-orphan")
    locations = relationship("ServiceAtLocation", cascade="all, delete-orphan")
    taxonomy_terms = relationship("TaxonomyTerm", secondary="service_taxonomy", viewonly=True)


class Location(Base):
    __tablename__ = "location"

    id = Column(String(120), primary_key=True)
    name = Column(String(255), default="")
    description = Column(Text, default="")

    addresses = relationship("Address", cascade="all, delete-orphan")


class Address(Base):
    __tablename__ = "address"

    id = Column(String(120), primary_key=True)
    location_id = Column(ForeignKey("location.id"), index=True)
    address_1 = Column(String(255), default="")
    city = Column(String(100), default="")
    state_province = Column(String(100), default="Essex")
    postal_code = Column(String(20), default="")
    country = Column(String(2), default="GB")


class ServiceAtLocation(Base):
    __tablename__ = "service_at_location"

    id = Column(String(240), primary_key=True)
    service_id = Column(ForeignKey("service.id"), index=True)
    location_id = Column(ForeignKey("location.id"), index=True)

    location = relationship("Location")


class Contact(Base):
    __tablename__ = "contact"

    id = Column(String(120), primary_key=True)
    service_id = Column(ForeignKey("service.id"), index=True)
    name = Column(String(255), default="")
    email = Column(String(255))


class Phone(Base):
    __tablename__ = "phone"

    id = Column(String(120), primary_key=True)
    service_id = Column(ForeignKey("service.id"), index=True)
    number = Column(String(40))
    description = Column(String(255), default="")


class Schedule(Base):
    __tablename__ = "schedule"

    id = Column(String(120), primary_key=True)
    service_id = Column(ForeignKey("service.id"), index=True)
    byday = Column(String(40), default="")  # iCal BYDAY, e.g. "MO,TU,WE"
    opens_at = Column(String(5))
    closes_at = Column(String(5))
    description = Column(String(255), default="")


class CostOption(Base):
    __tablename__ = "cost_option"

    id = Column(String(120), primary_key=True)
    service_id = Column(ForeignKey("service.id"), index=True)
    option = Column(String(255), default="")
    amount = Column(Numeric(10, 2, asdecimal=False))
    currency = Column(String(3), default="GBP")


class District(Base):
    """An Essex County Council district, with its quadrant (the council's four operational areas)."""

    __tablename__ = "district"

    code = Column(String(40), primary_key=True)
    name = Column(String(100))
    quadrant = Column(String(20), index=True)


class Place(Base):
    """A town or village name as families write it, mapped to its district."""

    __tablename__ = "place"

    name = Column(String(100), primary_key=True)
    district_code = Column(ForeignKey("district.code"), index=True)


class ServiceArea(Base):
    """One row per district a service covers; `extent` says whether it was listed for the district,
    its quadrant or the whole county, so local services can rank above county-wide ones."""

    __tablename__ = "service_area"
    __table_args__ = (UniqueConstraint("service_id", "district_code"),)

    id = Column(String(160), primary_key=True)
    service_id = Column(ForeignKey("service.id"), index=True)
    district_code = Column(ForeignKey("district.code"), index=True)
    quadrant = Column(String(20), index=True)
    extent = Column(String(10))  # district | quadrant | county
    service_area = Column(String(100), default="")


class Taxonomy(Base):
    __tablename__ = "taxonomy"

    id = Column(String(60), primary_key=True)  # "category" or "need"
    name = Column(String(100))


class TaxonomyTerm(Base):
    __tablename__ = "taxonomy_term"

    id = Column(String(100), primary_key=True)  # "<taxonomy>:<code>"
    taxonomy_id = Column(ForeignKey("taxonomy.id"), index=True)
    code = Column(String(60))
    name = Column(String(100))
    synonyms = Column(JSON, default=list)


class ServiceTaxonomy(Base):
    __tablename__ = "service_taxonomy"

    service_id = Column(ForeignKey("service.id"), primary_key=True)
    taxonomy_term_id = Column(ForeignKey("taxonomy_term.id"), primary_key=True, index=True)


class OutsideArea(Base):
    """A council area outside Essex County Council; families there are sent to their own Local Offer."""

    __tablename__ = "outside_area"

    code = Column(String(40), primary_key=True)
    name = Column(String(100))
    names = Column(JSON, default=list)
    local_offer = Column(String(200), default="")
    url = Column(String(500), default="")


class SearchFacet(Base):
    """Derived search rows in result order, kept by the loader and the importer (bot/db/queries/facets.py)."""

    __tablename__ = "search_facet"

    service_id = Column(String(100), primary_key=True)
    term_id = Column(String(100), primary_key=True)
    place = Column(String(60), primary_key=True)  # district code, 'q:<quadrant>' or '' (anywhere)
    distance = Column(SmallInteger, nullable=False)  # 0 is closest
    is_example = Column(Boolean)
    name = Column(String(255))
    minimum_age = Column(Integer)
    maximum_age = Column(Integer)


class GuidanceArticle(Base):
    """Plain-English process guidance for one SEND topic; `topic` is the intent name it answers."""

    __tablename__ = "guidance_article"

    topic = Column(String(60), primary_key=True)
    title = Column(String(255))
    summary = Column(Text)
    steps = Column(JSON, default=list)
    timescales = Column(JSON, default=list)
    who_can_help = Column(JSON, default=list)
    if_it_goes_wrong = Column(JSON, default=list)
    source_url = Column(String(500))
    local_offer_url = Column(String(500))
    last_checked = Column(Date)
    review_due = Column(Date)
    updated_at = Column(DateTime)
    # Section name -> [{url, page_date, checked}]: what each section's facts rest on (data/local_offer/README.md).
    sources = Column(JSON, default=dict)
    # Section name -> verify_note, for sections whose sources are all undated or older than 2022: families are
    # not shown a "last checked" date for them, and officers see them first as "needs checking".
    verify = Column(JSON, default=dict)


class AnswerTopic(Base):
    """A topic of the answer bank (one file in data/local_offer/answers/), with the title officers see."""

    __tablename__ = "answer_topic"

    topic = Column(String(60), primary_key=True)
    title = Column(String(255), nullable=False, default="")


class Answer(Base):
    """One short answer to one question a family asks, with the wordings it should be found by (issue #16).

    Why the vectors live in the row: they are computed when the text is written (load or an officer's edit),
    never when a family asks, so finding an answer is a dot product. `vectors` is the float32 bytes of the
    stacked sentence vectors of the question, each variant and the answer text, in that order
    (`vector_rows` rows of 384); `vector_model` names the encoder that made them, so a new model is noticed.
    """

    __tablename__ = "answer"

    id = Column(String(100), primary_key=True)
    topic = Column(ForeignKey("answer_topic.topic"), nullable=False, index=True)
    question = Column(Text, nullable=False)
    variants = Column(JSON, nullable=False, default=list)
    answer = Column(Text, nullable=False)
    facts = Column(JSON, nullable=False, default=list)  # [{text, kind: statutory|local}]
    sources = Column(JSON, nullable=False, default=list)  # [{url, page_date, checked}]
    verify = Column(Boolean, nullable=False, default=False)
    verify_note = Column(Text, nullable=False, default="")
    related = Column(JSON, nullable=False, default=dict)  # {sections: [topic.section], services: [ids]}
    vectors = Column(LargeBinary)
    vector_rows = Column(Integer, nullable=False, default=0)
    vector_model = Column(String(100))
    search_text = Column(Text, nullable=False, default="")
    source = Column(String(20), nullable=False, default="content", index=True)  # content | console
    updated_at = Column(DateTime, nullable=False, index=True)
    updated_by = Column(String(100), nullable=False, default="")


class AnswerModel(Base):
    """The answer bank's learned "which answer is this?" term (bot.answers.answer_model): one row, or none.

    Why stored, not fitted where it is used: fitting takes seconds, so it is done where content changes (the
    loader, an officer's edit) and every process reads the result. `labels` are the answer ids in the model's
    column order and `label_versions` the `updated_at` each was fitted at (ISO text): an answer edited since, or
    added, is not scored by the model until the next fit. `weights` (len(labels) x 384) and `bias` are float32
    bytes. No row: the term is off (never fitted, or more answers than the fit handles).
    """

    __tablename__ = "answer_model"

    id = Column(Integer, primary_key=True)  # always 1: there is one model
    labels = Column(JSON, nullable=False, default=list)
    label_versions = Column(JSON, nullable=False, default=list)
    weights = Column(LargeBinary, nullable=False)
    bias = Column(LargeBinary, nullable=False)
    answers = Column(Integer, nullable=False, default=0)  # how many answers it was fitted on
    vector_model = Column(String(100), nullable=False)
    fit_seconds = Column(Float, nullable=False, default=0.0)
    fitted_at = Column(DateTime, nullable=False)


class UnansweredQuestion(Base):
    """A message the assistant could not answer well, with personal data removed, for officers to review."""

    __tablename__ = "unanswered_question"

    id = Column(Integer, primary_key=True, autoincrement=True)
    created_at = Column(DateTime, nullable=False, index=True)
    sender_hash = Column(String(64), nullable=False, index=True)
    text_redacted = Column(Text, nullable=False)
    reason = Column(String(20), nullable=False, index=True)  # fallback | out_of_scope | not_helped | no_match | handoff
    intent = Column(String(60))
    confidence = Column(Float)
    ranking = Column(JSON, nullable=False, default=list)
    topic = Column(String(60))
    status = Column(String(20), nullable=False, default="new", index=True)
    assigned_intent = Column(String(60))
    # Added in 0010: the topic the family picked from "Did you mean" after this message (a suggestion: an
    # officer confirms it by assigning the intent; only assigned intents become training data).
    family_choice = Column(String(60))
    handled_by = Column(String(100))
    handled_at = Column(DateTime)
    # Added in 0011: the key a record carried in the spool (bot/insight/spool.py), so loading the spool twice (a crash
    # between commit and delete, two replicas) never makes two rows. Empty for rows stored directly.
    spool_key = Column(String(64), unique=True)


class Feedback(Base):
    __tablename__ = "feedback"

    id = Column(Integer, primary_key=True, autoincrement=True)
    created_at = Column(DateTime, nullable=False, index=True)
    sender_hash = Column(String(64), nullable=False)
    topic = Column(String(60))
    helpful = Column(Boolean, nullable=False)


class HandoffRequest(Base):
    """A family's request to reach a person: the helpline contact in hours, a callback out of hours."""

    __tablename__ = "handoff_request"

    id = Column(Integer, primary_key=True, autoincrement=True)
    reference = Column(String(12), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False, index=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    reason = Column(String(20), nullable=False)  # asked | fallbacks | not_helped | safeguarding
    topic = Column(String(60))
    kind = Column(String(10), nullable=False)  # contact | callback | flag (immediate risk) | concern (possible)
    flag_reason = Column(String(80))  # added in 0008: the safeguarding tier's reason (pattern group or classifier)
    area = Column(String(80))  # added in 0012: the place the family named ('Colchester', 'Thurrock'), for routing
    quadrant = Column(String(20))  # added in 0012: its Essex quadrant's code ('north_east'), None outside Essex
    first_name = Column(String(100))
    contact = Column(String(255))
    consent = Column(Boolean, nullable=False, default=False)
    consent_text = Column(Text)
    transcript_redacted = Column(Text, nullable=False, default="")
    status = Column(String(20), nullable=False, default="new", index=True)
    taken_by = Column(String(100))
    updated_at = Column(DateTime)
    taken_at = Column(DateTime)  # added in 0003: when a helpline worker took it
    done_at = Column(DateTime)  # added in 0003: when it was marked as done


class StaffUser(Base):
    """A council worker who may sign in to the staff console; no user exists until one is created."""

    __tablename__ = "staff_user"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(100), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(20), nullable=False)  # helpline | officer | admin
    active = Column(Boolean, nullable=False, default=True)
    failed_attempts = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime)
    created_at = Column(DateTime)
    last_sign_in_at = Column(DateTime)


class AuditEvent(Base):
    """One state-changing action in the staff console: who did what, to what, when."""

    __tablename__ = "audit_event"

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime, nullable=False, index=True)
    actor = Column(String(100), nullable=False)
    action = Column(String(60), nullable=False, index=True)
    target = Column(String(200), nullable=False, default="")
    detail = Column(JSON, nullable=False, default=dict)


class GuidanceChange(Base):
    """One field of a guidance article changed by an officer, with the text before and after."""

    __tablename__ = "guidance_change"

    id = Column(Integer, primary_key=True, autoincrement=True)
    topic = Column(String(60), index=True)
    changed_at = Column(DateTime)
    changed_by = Column(String(100))
    field = Column(String(60))
    before = Column(Text)
    after = Column(Text)
