"""Participants from a pasted list (Excel, CSV), invitations, who has joined, removing someone; frozen voters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from recdraft.db.models import Comment, Invitation, Membership, Recommendation, User, utcnow
from recdraft.errors import InvalidInput, NotFound, PermissionDenied
from recdraft.services import accounts, comments, participants, recommendations, roundtables, voting
from recdraft.services._base import SYSTEM
from recdraft.services.participants import ImportRejected
from tests.factories import PASSWORD, content, make_user, make_world
from tests.rowcounts import row_counts


@pytest.fixture
def world(db):
    return make_world(db)


def _import(w, text, **kw):
    return participants.import_participants(w.db, actor_id=w["admin"], roundtable_id=w.roundtable_id, text=text, **kw)


def _preview(w, text):
    return participants.preview_participants(w.db, actor_id=w["admin"], roundtable_id=w.roundtable_id, text=text)


EXCEL = (
    "Имя\tE-mail\tОрганизация\tРоль\tСогласие\tЯзык\r\n"
    "Айгерим Сапарова\taigerim@redcrescent.kz\tОбщество Красного Полумесяца\tмодератор\tда\tkk\r\n"
    "Иван Петров\tIvan.Petrov@ICRC.org\tМККК\tэксперт\tнет\tru\r\n"
    "Dana Lee\tdana@example.org\t\tobserver\tyes\tEnglish\r\n"
)


def test_an_excel_paste_with_a_russian_header_is_read_column_by_column(world):
    preview = _preview(world, EXCEL)
    assert preview.header and preview.problems == []
    assert [(r.line, r.name, r.email, r.organisation, r.role, r.consent_named, r.language) for r in preview.rows] == [
        (2, "Айгерим Сапарова", "aigerim@redcrescent.kz", "Общество Красного Полумесяца", "moderator", True, "kk"),
        (3, "Иван Петров", "ivan.petrov@icrc.org", "МККК", "expert", False, "ru"),
        (4, "Dana Lee", "dana@example.org", "", "observer", True, "en"),
    ]
    assert (preview.members, preview.invitations) == (0, 3)


def test_semicolon_and_comma_lists_with_quotes_a_bom_and_no_header_give_the_same_people(world):
    semicolon = '\ufeff"Сапарова; Айгерим";aigerim@redcrescent.kz;"ОКП ""Астана""";сарапшы;иә;қазақша\n'
    comma = 'Sergei Kim,sergei@example.org,"Narxoz, Almaty",Expert,No,ru\r\n\r\n'
    first = _preview(world, semicolon)
    second = _preview(world, comma)
    assert not first.header and not second.header
    assert [(r.name, r.organisation, r.role, r.consent_named, r.language) for r in first.rows] == [
        ("Сапарова; Айгерим", 'ОКП "Астана"', "expert", True, "kk")
    ]
    assert [(r.line, r.name, r.organisation, r.language) for r in second.rows] == [
        (1, "Sergei Kim", "Narxoz, Almaty", "ru")
    ]


def test_every_bad_line_is_named_with_its_column_and_nothing_is_imported(world):
    roundtables.set_membership(
        world.db,
        actor_id=SYSTEM,
        roundtable_id=world.roundtable_id,
        user_id=make_user(world.db, "member", email="member@example.org"),
        role="expert",
    )
    _import(world, "Already Invited\tinvited@example.org")
    text = (
        "name\temail\trole\tconsent\tlanguage\n"
        "\tnobody@example.org\texpert\tyes\tkk\n"  # 2: empty name
        "Bad Mail\tnot-an-address\texpert\tyes\tkk\n"  # 3
        "Twin One\ttwin@example.org\texpert\tyes\tkk\n"  # 4
        "Twin Two\tTWIN@example.org\texpert\tyes\tkk\n"  # 5: same e-mail as line 4
        "Boss\tboss@example.org\tboss\tmaybe\tde\n"  # 6: role, consent, language
        "Member\tmember@example.org\texpert\tyes\tru\n"  # 7: already in the roundtable
        "Invited\tinvited@example.org\texpert\tno\tru\n"  # 8: already invited
        "Fine\tfine@example.org\texpert\tno\tru\n"
    )
    before = row_counts(world.db)
    with pytest.raises(ImportRejected, match="nothing was imported") as rejected:
        _import(world, text)
    assert row_counts(world.db) == before
    assert [(p.line, p.field) for p in rejected.value.problems] == [
        (2, "name"),
        (3, "email"),
        (5, "email"),
        (6, "role"),
        (6, "consent"),
        (6, "language"),
        (7, "email"),
        (8, "email"),
    ]
    messages = {(p.line, p.field): p.message for p in rejected.value.problems}
    assert messages[(2, "name")] == "The name is empty."
    assert messages[(5, "email")] == "The e-mail address twin@example.org is also on line 4."
    assert messages[(6, "role")].startswith("Unknown role 'boss'")
    assert "already a participant" in messages[(7, "email")]
    assert "already has an invitation" in messages[(8, "email")]
    # The preview finds the same problems and writes nothing either.
    assert _preview(world, text).problems == rejected.value.problems
    assert row_counts(world.db) == before


def test_problems_are_translated_for_the_page(world):
    problems = _preview(world, "Twin\ttwin@example.org\nTwin\ttwin@example.org\n\tx\n").problems
    assert problems
    for p in problems:
        ru = p.text("ru")  # a row problem carries its message's catalogue key and parameters
        assert ru != p.message and any("а" <= ch <= "я" for ch in ru.lower()), ru  # Russian words, not English
    with pytest.raises(ImportRejected) as rejected:
        _import(world, "\tx@example.org")
    assert rejected.value.text("kk") != str(rejected.value)


def test_people_with_an_account_join_at_once_and_the_others_get_invitations_that_carry_consent_and_language(world):
    existing = make_user(world.db, "aigerim", email="aigerim@redcrescent.kz")
    result = _import(world, EXCEL)
    assert result.members_added == [existing]
    assert [(i.display_name, i.email, i.role) for i in result.invitations] == [
        ("Иван Петров", "ivan.petrov@icrc.org", "expert"),
        ("Dana Lee", "dana@example.org", "observer"),
    ]
    member = {
        m.user_id: m for m in roundtables.list_members(world.db, actor_id=SYSTEM, roundtable_id=world.roundtable_id)
    }[existing]
    assert (member.role, member.organisation, member.group, member.consent_named) == (
        "moderator",
        "Общество Красного Полумесяца",
        "Общество Красного Полумесяца",
        True,
    )
    dana = result.invitations[1]
    signed = accounts.accept_invitation(world.db, token=dana.token, username="dana", password=PASSWORD)
    assert signed.user.preferred_language == "en" and signed.user.email == "dana@example.org"
    joined = {
        m.user_id: m for m in roundtables.list_members(world.db, actor_id=SYSTEM, roundtable_id=world.roundtable_id)
    }[signed.user.id]
    assert (joined.role, joined.consent_named) == ("observer", True)
    listed = participants.list_participants(world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id)
    by_email = {p.email: p for p in listed if p.email}
    assert by_email["dana@example.org"].joined and by_email["dana@example.org"].user_id == signed.user.id
    ivan = by_email["ivan.petrov@icrc.org"]
    assert (ivan.joined, ivan.invitation_id, ivan.language, ivan.consent_named) == (
        False,
        result.invitations[0].id,
        "ru",
        False,
    )
    assert ivan.expires_at is not None and not ivan.expired


def test_a_ten_thousand_line_paste_is_one_import_in_a_few_statements_and_one_more_line_is_refused(world):
    lines = "\n".join(f"Person {n}\tperson{n}@example.org\tOrg {n % 7}\texpert\tyes\tru" for n in range(10_000))
    statements: list[str] = []
    listen = lambda conn, cursor, statement, *rest: statements.append(statement)  # noqa: E731
    event.listen(world.db.engine, "before_cursor_execute", listen)
    try:
        result = _import(world, lines)
    finally:
        event.remove(world.db.engine, "before_cursor_execute", listen)
    assert len(result.invitations) == 10_000 and len({i.token for i in result.invitations}) == 10_000
    assert len(statements) < 60, len(statements)
    with world.db.read() as s:
        assert (
            s.scalar(select(Invitation.display_name).where(Invitation.email == "person9999@example.org"))
            == "Person 9999"
        )
    before = row_counts(world.db)
    too_many = "\n".join(f"P{n}\tp{n}@example.net" for n in range(10_001))
    with pytest.raises(InvalidInput, match="At most 10,000 people in one list"):
        _import(world, too_many)
    assert row_counts(world.db) == before


def test_an_empty_or_non_text_list_and_bad_durations_are_refused(world):
    before = row_counts(world.db)
    for text in ("", "\n \n\t\n"):
        with pytest.raises(InvalidInput, match="The list is empty"):
            _import(world, text)
    with pytest.raises(InvalidInput, match="as text"):
        _import(world, ["Dana"])
    with pytest.raises(InvalidInput, match="between 1 and 90 days"):
        _import(world, "Dana\tdana@example.org", days=0)
    assert row_counts(world.db) == before


def test_only_roundtable_administrators_manage_participants(world):
    inv = _import(world, "Dana\tdana@example.org").invitations[0]
    before = row_counts(world.db)
    for who in ("moderator", "expert", "observer", "outsider"):
        with pytest.raises(PermissionDenied):
            participants.preview_participants(
                world.db, actor_id=world[who], roundtable_id=world.roundtable_id, text="A\ta@example.org"
            )
        with pytest.raises(PermissionDenied):
            participants.list_participants(world.db, actor_id=world[who], roundtable_id=world.roundtable_id)
        with pytest.raises(PermissionDenied):
            participants.reissue_invitation(world.db, actor_id=world[who], invitation_id=inv.id)
    assert row_counts(world.db) == before


def test_a_reissued_invitation_has_a_new_link_and_the_old_one_stops_working(world):
    first = _import(world, "Dana\tdana@example.org", days=1).invitations[0]
    again = participants.reissue_invitation(world.db, actor_id=world["admin"], invitation_id=first.id)
    assert again.id == first.id and again.token != first.token and again.expires_at > first.expires_at
    with pytest.raises(NotFound):
        accounts.describe_invitation(world.db, token=first.token)
    signed = accounts.accept_invitation(world.db, token=again.token, username="dana", password=PASSWORD)
    with pytest.raises(InvalidInput, match="already accepted"):
        participants.reissue_invitation(world.db, actor_id=world["admin"], invitation_id=first.id)
    assert roundtables.my_role(world.db, actor_id=signed.user.id, roundtable_id=world.roundtable_id) == "expert"


def test_an_expired_invitation_is_listed_as_expired_and_can_be_sent_again(world):
    inv = _import(world, "Dana\tdana@example.org", days=1).invitations[0]
    later = utcnow() + timedelta(days=2)
    (dana,) = [
        p
        for p in participants.list_participants(
            world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id, now=later
        )
        if p.email == "dana@example.org"
    ]
    assert dana.expired and not dana.joined
    # An expired invitation does not block inviting the person again from a new list.
    with world.db.write() as s:
        s.get(Invitation, inv.id).expires_at = utcnow() - timedelta(minutes=1)
    assert len(_import(world, "Dana\tdana@example.org").invitations) == 1


def test_a_withdrawn_invitation_stops_working(world):
    inv = _import(world, "Dana\tdana@example.org").invitations[0]
    participants.revoke_invitation(world.db, actor_id=world["admin"], invitation_id=inv.id)
    with pytest.raises(NotFound):
        accounts.describe_invitation(world.db, token=inv.token)
    with pytest.raises(InvalidInput, match="withdrawn"):
        participants.reissue_invitation(world.db, actor_id=world["admin"], invitation_id=inv.id)
    assert not [
        p
        for p in participants.list_participants(world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id)
        if not p.joined
    ]


def test_removing_someone_keeps_everything_they_wrote_under_their_name(world):
    rec = recommendations.create_recommendation(
        world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content()
    )
    note = comments.post_comment(world.db, actor_id=world["expert"], recommendation_id=rec.id, body="My remark")
    participants.remove_participant(
        world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id, user_id=world["expert"]
    )
    assert roundtables.my_role(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id) is None
    with pytest.raises(PermissionDenied):
        recommendations.get_recommendation(world.db, actor_id=world["expert"], recommendation_id=rec.id)
    kept = recommendations.get_recommendation(world.db, actor_id=world["admin"], recommendation_id=rec.id)
    assert kept.created_by == world["expert"] and kept.current_revision.author_name == "Expert"
    with world.db.read() as s:
        assert s.get(Comment, note.id).author_id == world["expert"]
        assert s.get(Recommendation, rec.id).created_by == world["expert"]
        assert s.get(User, world["expert"]).is_active
    with pytest.raises(NotFound, match="not a participant"):
        participants.remove_participant(
            world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id, user_id=world["expert"]
        )


def test_the_last_administrator_cannot_be_removed(world):
    before = row_counts(world.db)
    with pytest.raises(InvalidInput, match="at least one administrator"):
        participants.remove_participant(
            world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id, user_id=world["admin"]
        )
    assert row_counts(world.db) == before
    roundtables.set_membership(
        world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id, user_id=world["moderator"], role="admin"
    )
    participants.remove_participant(
        world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id, user_id=world["admin"]
    )
    with world.db.read() as s:
        assert s.scalars(select(Membership.user_id).where(Membership.role == "admin")).all() == [world["moderator"]]


# --- eligible voters are frozen when a round opens --------------------------------------------------------------


def test_an_expert_who_joins_during_an_open_round_neither_changes_the_eligible_count_nor_votes_in_it(world):
    rec = recommendations.create_recommendation(
        world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content()
    )
    recommendations.set_status(world.db, actor_id=world["moderator"], recommendation_id=rec.id, status="discussion")
    rnd = voting.open_round(
        world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id, recommendation_ids=[rec.id]
    )

    def eligible() -> int:
        (item,) = voting.round_results(world.db, actor_id=world["admin"], round_id=rnd.id).items
        return item.overall.eligible

    assert eligible() == 2
    invitation = _import(world, "Nurlan\tnurlan@example.org\t\texpert").invitations[0]
    newcomer = accounts.accept_invitation(
        world.db, token=invitation.token, username="nurlan", password=PASSWORD
    ).user.id
    assert eligible() == 2
    before = row_counts(world.db)
    with pytest.raises(PermissionDenied, match="joined after voting round 1 opened"):
        voting.cast_vote(world.db, actor_id=newcomer, round_id=rnd.id, recommendation_id=rec.id, choice="agree")
    assert row_counts(world.db) == before
    ballots = voting.my_ballots(world.db, actor_id=newcomer, roundtable_id=world.roundtable_id)
    assert ballots.to_do == 0 and not ballots.rounds[0].items[0].can_vote
    voting.cast_vote(world.db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=rec.id, choice="agree")
    voting.cast_vote(
        world.db, actor_id=world["expert2"], round_id=rnd.id, recommendation_id=rec.id, choice="block", reason="Not yet"
    )
    closed = voting.close_round(world.db, actor_id=world["moderator"], round_id=rnd.id)
    assert (closed.items[0].overall.eligible, closed.items[0].overall.voted) == (2, 2)
    # The next round counts the newcomer, who may vote in it.
    nxt = voting.carry_forward(world.db, actor_id=world["moderator"], round_id=rnd.id)
    voting.cast_vote(world.db, actor_id=newcomer, round_id=nxt.id, recommendation_id=rec.id, choice="agree")
    (item,) = voting.round_results(world.db, actor_id=world["admin"], round_id=nxt.id).items
    assert (item.overall.eligible, item.overall.voted) == (3, 1)


def test_an_old_round_without_frozen_voters_counts_the_membership_as_it_is(world):
    from recdraft.db.voting_models import RoundVoter, VotingRound

    rec = recommendations.create_recommendation(
        world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content()
    )
    recommendations.set_status(world.db, actor_id=world["moderator"], recommendation_id=rec.id, status="discussion")
    rnd = voting.open_round(
        world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id, recommendation_ids=[rec.id]
    )
    with world.db.write() as s:  # as a round restored from a backup made before voters were frozen
        for row in s.scalars(select(RoundVoter).where(RoundVoter.round_id == rnd.id)):
            s.delete(row)
        s.get(VotingRound, rnd.id).voters_frozen_at = None
    newcomer = make_user(world.db, "nurlan")
    roundtables.set_membership(
        world.db, actor_id=SYSTEM, roundtable_id=world.roundtable_id, user_id=newcomer, role="expert"
    )
    voting.cast_vote(world.db, actor_id=newcomer, round_id=rnd.id, recommendation_id=rec.id, choice="agree")
    (item,) = voting.round_results(world.db, actor_id=world["admin"], round_id=rnd.id).items
    assert (item.overall.eligible, item.overall.voted) == (3, 1)
