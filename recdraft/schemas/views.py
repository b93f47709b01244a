"""Read-only views returned by services. ORM rows never leave the services."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from recdraft.domain.policy import Action
from recdraft.domain.roles import Role
from recdraft.i18n.messages import Msg
from recdraft.schemas.content import LangContent


class View(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class UserView(View):
    id: int
    username: str
    display_name: str
    email: str | None
    is_active: bool
    is_system_admin: bool
    preferred_language: str | None
    is_organiser: bool = False


class SignedIn(View):
    """The result of a successful sign-in: the user and the secret session token (give it to the client only)."""

    user: UserView
    token: str
    expires_at: datetime


class InvitationCreated(View):
    id: int
    token: str
    expires_at: datetime


class RoundtableView(View):
    id: int
    title: dict[str, str]
    held_on: date
    venue: dict[str, str]
    organisers: dict[str, str]
    addressee: dict[str, str]
    background: dict[str, str]
    summary: dict[str, str]
    languages: list[str]
    phase: str
    moderation_mode: str
    settings: dict[str, Any]


class StandingView(View):
    """A person's standing in one roundtable: their role, the actions open to them now (from
    ``domain.policy.actions`` with the roundtable's ``moderators_vote``) and the actions its phase leaves
    open to anyone (e.g. "votes can be cast now", whoever casts them). ``voter``: whether they vote in this
    roundtable when votes are open, whatever the phase now (the Vote page stays theirs, to show past votes)."""

    role: Role
    actions: frozenset[Action]
    open_actions: frozenset[Action]
    voter: bool = False


class MembershipView(View):
    id: int
    roundtable_id: int
    user_id: int
    username: str
    display_name: str
    role: str
    organisation: str
    group: str
    consent_named: bool
    is_active: bool


class RowProblem(View):
    """One problem of a pasted participants list: the line (1 = the first line pasted), the column, why.

    ``message`` is the English sentence (the command line); ``msg`` the same as a catalogue message
    (``Msg.to_json``), which ``text(lang)`` renders for the page in the reader's language."""

    line: int
    field: str
    message: str
    msg: dict[str, Any] = {}

    @classmethod
    def of(cls, line: int, field: str, message: Msg) -> RowProblem:
        return cls(line=line, field=field, message=message.render("en"), msg=message.to_json())

    def text(self, lang: str) -> str:
        """The problem in ``lang`` (a row stored before problems carried keys: its English sentence)."""
        return Msg.from_json(self.msg).render(lang) if Msg.is_json(self.msg) else self.message


class ParticipantRow(View):
    """One person of a pasted list as it would be imported.

    ``action`` is "member" (their e-mail already has an account: they join at once) or "invite".
    """

    line: int
    name: str
    email: str | None
    organisation: str
    role: str
    consent_named: bool
    language: str | None
    action: str
    user_id: int | None = None


class ParticipantPreview(View):
    """What an import would do, without doing it: the rows, their problems, whether a header was found."""

    rows: list[ParticipantRow]
    problems: list[RowProblem]
    header: bool
    members: int
    invitations: int


class InvitationLink(View):
    """A fresh invitation token for one person (shown once: only its hash is stored)."""

    id: int
    roundtable_id: int
    display_name: str
    email: str | None
    role: str
    token: str
    expires_at: datetime


class ImportResult(View):
    """What an import did: people who joined at once (their user ids) and the invitations made."""

    members_added: list[int]
    invitations: list[InvitationLink]


class ParticipantView(View):
    """A member of the roundtable (``joined``) or a pending invitation to it."""

    name: str
    email: str | None
    organisation: str
    role: str
    consent_named: bool
    language: str | None
    joined: bool
    user_id: int | None = None
    invitation_id: int | None = None
    expires_at: datetime | None = None
    expired: bool = False


class RevisionView(View):
    id: int
    recommendation_id: int
    number: int
    content: dict[str, LangContent]
    author_id: int
    author_name: str
    created_at: datetime
    base_revision_id: int | None
    note: str  # as typed, or a note of the program stored as a message (domain.revisions.program_note)
    kind: str

    def note_in(self, lang: str) -> str:
        """The note for a reader of ``lang``: the program's notes translated, people's as typed."""
        from recdraft.domain.revisions import note_text

        return note_text(self.note, lang)


class RecommendationView(View):
    id: int
    roundtable_id: int
    number: int
    position: int
    topic: str
    priority: str
    status: str
    version: int
    created_by: int
    created_at: datetime
    updated_at: datetime
    coauthor_ids: list[int]
    merged_into_id: int | None
    current_revision: RevisionView
    # What the viewer may do with this recommendation now (``domain.policy.actions`` for their role, the
    # roundtable's phase and whether they are its author or a co-author): the page offers exactly these.
    actions: frozenset[Action] = frozenset()


class RecommendationPage(View):
    items: list[RecommendationView]
    total: int
    page: int
    page_size: int


class RejectedEditView(View):
    id: int
    recommendation_id: int
    author_id: int
    base_revision_id: int | None
    current_revision_id: int | None
    content: dict[str, LangContent]
    note: str
    created_at: datetime
    resolved_revision_id: int | None


class AmendmentView(View):
    id: int
    number: int  # 1, 2, ... within its recommendation (issue 18)
    recommendation_id: int
    base_revision_id: int
    proposer_id: int
    proposer_name: str
    content: dict[str, LangContent]
    justification: str
    status: str
    decided_by: int | None
    decided_at: datetime | None
    reason: str
    resulting_revision_id: int | None
    created_at: datetime


class CommentEditView(View):
    previous_body: str
    previous_quote: str
    edited_at: datetime
    editor_id: int


class FlagView(View):
    id: int
    user_id: int
    reason: str
    created_at: datetime
    resolved_at: datetime | None


class FlagReportView(View):
    """An open report on a comment, as the moderators see it: who reported it, when and why."""

    id: int
    comment_id: int
    user_id: int
    user_name: str
    reason: str
    created_at: datetime


class CommentView(View):
    id: int
    recommendation_id: int
    parent_id: int | None
    author_id: int
    author_name: str
    body: str
    quote: str
    status: str
    created_at: datetime
    updated_at: datetime
    edited: bool
    resolution: str | None
    addressed_revision_number: int | None
    resolution_reason: str
    open_flags: int
    # Issue 18, for the comment's author and the moderators only (None for everyone else): an edit waiting
    # for a moderator while the approved text above stays shown, and why a moderator hid or rejected it.
    pending_body: str | None = None
    pending_quote: str | None = None
    pending_since: datetime | None = None
    moderation_reason: str | None = None
    # What the viewer may do with this comment now (``services.comments.COMMENT_ACTIONS``): reply, edit,
    # flag, resolve, history, approve, hide, approve_edit, reject_edit. The page offers exactly these.
    actions: frozenset[str] = frozenset()


class ThreadEntryView(View):
    """One place in a comment thread as one viewer sees it (``services.comments.comment_page``).

    ``comment`` is None where the viewer may not read the comment but may read a reply to it: the place
    is then shown as "a comment was hidden by a moderator" (``placeholder`` says why: hidden, rejected,
    pending), so the reply keeps its context without revealing the hidden text, author or id.
    """

    depth: int  # 0 for a thread's first comment, 1 for a reply to it, ...
    comment: CommentView | None
    placeholder: str | None = None


class CommentPageView(View):
    """One page of a recommendation's comment threads: threads oldest first, each with its replies."""

    entries: list[ThreadEntryView]
    page: int
    page_size: int  # threads per page
    pages: int
    threads: int  # threads this viewer sees (all pages)
    comments: int  # comments this viewer may read (all pages)


class ModerationEntryView(View):
    id: int
    comment_id: int
    moderator_id: int
    moderator_name: str
    action: str
    from_status: str
    to_status: str
    reason: str
    created_at: datetime
    # What the log shows instead of "#25" (issue 18): the comment's opening words and its recommendation.
    comment_excerpt: str = ""
    recommendation_id: int | None = None
    recommendation_number: int | None = None


class AuditEventView(View):
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str | None
    roundtable_id: int | None
    action: str
    object_type: str
    object_id: int | None
    details: dict[str, Any]
