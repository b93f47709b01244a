"""Roundtables: what the router reads on every run; creating one with every setting, copying, phases, admins."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select

from recdraft.db.models import AuditEvent, Membership, Roundtable
from recdraft.errors import InvalidInput, NotFound, NotSignedIn, PermissionDenied
from recdraft.services import accounts, comments, moderation, participants, recommendations, roundtables, voting
from recdraft.services._base import SYSTEM
from tests.factories import FULL_SETTINGS, content, make_organiser, make_user, make_world
from tests.rowcounts import row_counts


def _second_roundtable(db, held_on: date) -> int:
    return roundtables.create_roundtable(db, actor_id=SYSTEM, title={"en": "Emblem law follow-up"}, held_on=held_on).id


def test_members_get_their_roundtables_newest_first_with_their_role(db):
    world = make_world(db)
    newer = _second_roundtable(db, date(2025, 9, 1))
    older = _second_roundtable(db, date(2024, 5, 1))
    roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=newer, user_id=world["expert"], role="moderator")
    roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=older, user_id=world["expert"], role="observer")

    mine = roundtables.list_my_roundtables(db, actor_id=world["expert"])

    assert [(rt.id, standing.role) for rt, standing in mine] == [
        (newer, "moderator"),
        (world.roundtable_id, "expert"),
        (older, "observer"),
    ]
    assert mine[1][0].title["en"] == "National Societies: Legal Foundations"
    # The same answers as the one-roundtable calls.
    for rt, standing in mine:
        assert roundtables.my_role(db, actor_id=world["expert"], roundtable_id=rt.id) == standing.role
    assert [rt.id for rt, _ in mine] == [rt.id for rt in roundtables.list_roundtables(db, actor_id=world["expert"])]


def test_role_changes_show_on_the_next_call(db):
    world = make_world(db)
    roundtables.set_membership(
        db, actor_id=SYSTEM, roundtable_id=world.roundtable_id, user_id=world["observer"], role="expert"
    )
    assert roundtables.list_my_roundtables(db, actor_id=world["observer"])[0][1].role == "expert"


def test_outsiders_get_nothing_and_system_administrators_get_everything_as_admin(db):
    world = make_world(db)
    other = _second_roundtable(db, date(2025, 9, 1))
    assert roundtables.list_my_roundtables(db, actor_id=world["outsider"]) == []
    root = make_user(db, "root", system_admin=True)
    assert [(rt.id, standing.role) for rt, standing in roundtables.list_my_roundtables(db, actor_id=root)] == [
        (other, "admin"),
        (world.roundtable_id, "admin"),
    ]


def test_each_roundtable_comes_with_the_actions_open_to_the_person_and_to_anyone(db):
    """The standing is the policy's answer: what the page may offer, never decided by the page."""
    from recdraft.domain.policy import Action

    world = make_world(db)
    roundtables.set_phase(db, actor_id=SYSTEM, roundtable_id=world.roundtable_id, phase="voting")
    [(_, observer)] = roundtables.list_my_roundtables(db, actor_id=world["observer"])
    [(_, expert)] = roundtables.list_my_roundtables(db, actor_id=world["expert"])
    [(_, moderator)] = roundtables.list_my_roundtables(db, actor_id=world["moderator"])
    assert observer.actions == frozenset() and Action.VOTE in observer.open_actions
    assert {Action.DRAFT, Action.COMMENT, Action.VOTE} <= expert.actions and Action.CONFIGURE not in expert.actions
    assert Action.VOTE not in moderator.actions and Action.MODERATE in moderator.actions
    assert expert.voter and not moderator.voter and not observer.voter
    roundtables.update_settings(
        db, actor_id=SYSTEM, roundtable_id=world.roundtable_id, settings={"moderators_vote": True}
    )
    [(_, moderator)] = roundtables.list_my_roundtables(db, actor_id=world["moderator"])
    assert Action.VOTE in moderator.actions and moderator.voter
    roundtables.set_phase(db, actor_id=SYSTEM, roundtable_id=world.roundtable_id, phase="archived")
    [(_, expert)] = roundtables.list_my_roundtables(db, actor_id=world["expert"])
    assert expert.actions == frozenset() and expert.open_actions == {Action.EXPORT, Action.CHANGE_PHASE}
    assert expert.voter  # the Vote page stays, to show past votes


def test_a_deactivated_person_gets_no_roundtables(db):
    world = make_world(db)
    accounts.set_active(db, actor_id=SYSTEM, user_id=world["expert"], active=False)
    with pytest.raises(NotSignedIn):
        roundtables.list_my_roundtables(db, actor_id=world["expert"])


def test_settings_are_cleaned_and_bad_values_are_refused_with_the_field_named(db):
    world = make_world(db)
    rt = roundtables.update_settings(
        db,
        actor_id=world["admin"],
        roundtable_id=world.roundtable_id,
        settings={
            "closing_formula": {"ru": "  С уважением,\r\nВысшая школа права  ", "en": "   "},
            "legal_references": ["Geneva Convention I (1949),\tArt. 26", "", "Statutes\u202e of the Movement"],
        },
    )
    assert rt.settings["closing_formula"] == {"ru": "С уважением,\nВысшая школа права"}
    assert rt.settings["legal_references"] == ["Geneva Convention I (1949), Art. 26", "Statutes of the Movement"]
    assert rt.settings["moderators_vote"] is False
    bad = {
        "closing_formula": ({"de": "Hochachtungsvoll"}, "unknown language"),
        "legal_references": ([["nested"]], "Each legal reference is a text"),
        "moderators_vote": ("yes", "yes or no"),
        "colour": ("red", "Unknown setting"),
    }
    for key, (value, message) in bad.items():
        with pytest.raises(InvalidInput, match=message) as refused:
            roundtables.update_settings(
                db, actor_id=world["admin"], roundtable_id=world.roundtable_id, settings={key: value}
            )
        assert refused.value.field == key
    with pytest.raises(InvalidInput, match="too long"):
        roundtables.update_settings(
            db, actor_id=world["admin"], roundtable_id=world.roundtable_id, settings={"legal_references": ["x" * 501]}
        )
    kept = roundtables.get_roundtable(db, actor_id=world["admin"], roundtable_id=world.roundtable_id)
    assert kept.settings["legal_references"] == ["Geneva Convention I (1949), Art. 26", "Statutes of the Movement"]


# --- creating a roundtable with every setting (issue 9) -------------------------------------------------------

TRILINGUAL = {
    "kk": "Ұлттық қоғамдар: құқықтық негіздер",
    "ru": "Национальные общества: правовые основы",
    "en": "National Societies: Legal Foundations",
}


def _create(db, actor_id, **overrides):
    fields = dict(
        title=TRILINGUAL,
        held_on=date(2026, 3, 12),
        venue={"ru": "Нархоз, Алматы"},
        addressee={"ru": "Мажилис Парламента РК"},
        languages=["kk", "ru", "en"],
        moderation_mode="post",
        phase="setup",
        settings=FULL_SETTINGS,
    )
    fields.update(overrides)
    return roundtables.create_roundtable(db, actor_id=actor_id, **fields)


def test_an_organiser_creates_a_roundtable_with_every_setting_and_becomes_its_only_admin(db):
    organiser = make_organiser(db, "aigerim")
    rt = _create(db, organiser)
    assert (rt.title, rt.phase, rt.moderation_mode, rt.languages) == (TRILINGUAL, "setup", "post", ["kk", "ru", "en"])
    settings = rt.settings
    assert settings["record_language"] == "kk" and settings["memo_languages"] == ["kk", "ru", "kk+ru"]
    assert settings["topics"] == [
        {"key": "legal-status", "labels": {"kk": "Құқықтық мәртебе", "ru": "Правовой статус", "en": "Legal status"}},
        {"key": "emblem", "labels": {"kk": "Эмблема", "ru": "Эмблема"}},
    ]
    assert settings["voting_defaults"] == {
        "quorum": "3/5",
        "threshold": "3/4",
        "delphi_agreement_share": "7/10",
        "delphi_max_iqr": "2",
        "blocks_prevent_adoption": False,
    }
    assert settings["legal_references"][1]["kk"] == "ҚР «Қоғамдық бірлестіктер туралы» Заңы"
    assert settings["signatory"]["name"] == {"ru": "А. Б. Сериков", "kk": "А. Б. Серіков"}
    assert settings["outgoing_number"] == "№ 01-12/345" and settings["moderators_vote"] is False
    assert [(m.user_id, m.role) for m in roundtables.list_members(db, actor_id=organiser, roundtable_id=rt.id)] == [
        (organiser, "admin")
    ]
    assert roundtables.list_my_roundtables(db, actor_id=organiser)[0][0].id == rt.id


def test_a_roundtable_created_with_no_settings_gets_defaults_that_fit_its_languages(db):
    root = make_user(db, "root", system_admin=True)
    rt = roundtables.create_roundtable(
        db, actor_id=root, title={"ru": "Только по-русски"}, held_on="2026-04-01", languages=["ru", "kk"]
    )
    assert rt.phase == "drafting"
    assert rt.settings["record_language"] == "kk" and rt.settings["memo_languages"] == ["kk", "ru"]
    assert rt.settings["voting_defaults"]["quorum"] == "1/2" and rt.settings["topics"] == []


BAD_FIELDS = [
    ({"title": {"en": "  ", "ru": "\u200b"}}, "title", "Title cannot be empty"),
    ({"title": {"de": "Titel"}}, "title", "unknown language"),
    ({"held_on": "12.03.2026"}, "held_on", "YYYY-MM-DD"),
    ({"held_on": date(1926, 3, 12)}, "held_on", "between the years 2000 and 2100"),
    ({"languages": []}, "languages", "one or more of kk, ru, en"),
    ({"languages": ["kk", "de"]}, "languages", "one or more of kk, ru, en"),
    ({"moderation_mode": "later"}, "moderation_mode", "'pre'"),
    ({"phase": "voting"}, "phase", "set-up or drafting"),
    ({"languages": ["ru", "en"], "settings": {"record_language": "kk"}}, "record_language", "language of record"),
    (
        {"languages": ["kk", "en"], "settings": {"memo_languages": ["kk+ru"]}},
        "memo_languages",
        "both Kazakh and Russian",
    ),
    (
        {"languages": ["kk", "ru"], "settings": {"memo_languages": ["en"]}},
        "memo_languages",
        "not one of the roundtable",
    ),
    ({"settings": {"memo_languages": ["de"]}}, "memo_languages", "Unknown memo language 'de'"),
    ({"settings": {"memo_languages": []}}, "memo_languages", "at least one memo language"),
    (
        {"settings": {"topics": [{"key": "a", "labels": {"en": "A"}}, {"key": "a", "labels": {"en": "B"}}]}},
        "topics",
        "Two topics have the key 'a'",
    ),
    ({"settings": {"topics": [{"key": "Legal status", "labels": {"en": "A"}}]}}, "topics", "Latin letters"),
    ({"settings": {"topics": [{"labels": {"en": " "}}]}}, "topics", "Topic 1 needs a label"),
    ({"settings": {"voting_defaults": {"quorum": "3/2"}}}, "voting_defaults", "quorum must be a share"),
    ({"settings": {"voting_defaults": {"threshold": "most"}}}, "voting_defaults", "threshold must be a share"),
    ({"settings": {"voting_defaults": {"blocks_prevent_adoption": "yes"}}}, "voting_defaults", "yes or no"),
    ({"settings": {"voting_defaults": {"quorom": "1/2"}}}, "voting_defaults", "Unknown voting default 'quorom'"),
    ({"settings": {"legal_references": [{"de": "BGB"}]}}, "legal_references", "unknown language"),
    ({"settings": {"signatory": {"title": "Dr"}}}, "signatory", "name and a position"),
    ({"settings": {"outgoing_number": "№ " + "1" * 200}}, "outgoing_number", "too long"),
    ({"settings": {"colour": "red"}}, "colour", "Unknown setting 'colour'"),
]


@pytest.mark.parametrize("overrides, field, message", BAD_FIELDS, ids=[b[1] + ":" + b[2] for b in BAD_FIELDS])
def test_each_bad_field_is_refused_with_a_message_naming_it_and_nothing_is_created(db, overrides, field, message):
    organiser = make_organiser(db, "aigerim")
    before = row_counts(db)
    with pytest.raises(InvalidInput, match=message) as refused:
        _create(db, organiser, **overrides)
    assert refused.value.field == field
    assert row_counts(db) == before


def test_topic_keys_are_made_from_the_english_or_russian_label_and_kept_unique(db):
    rt = _create(
        db,
        SYSTEM,
        settings={
            "topics": [
                {"labels": {"ru": "Правовой статус", "kk": "Құқықтық мәртебе"}},
                {"labels": {"en": "Emblem & signs", "ru": "Эмблема"}},
                {"labels": {"en": "Emblem: signs"}},
                {"labels": {"kk": "Ұйым және қаржы"}},
                {"labels": {"en": "🙂"}},
            ]
        },
    )
    assert [t["key"] for t in rt.settings["topics"]] == [
        "pravovoi-status",
        "emblem-signs",
        "emblem-signs-2",
        "uiym-zhane-qarzhy",
        "topic-5",
    ]


def test_people_who_are_neither_organisers_nor_system_administrators_cannot_create_roundtables(db):
    world = make_world(db)
    before = row_counts(db)
    for who in ("admin", "expert", "outsider"):
        with pytest.raises(PermissionDenied, match="organisers and system administrators"):
            _create(db, world[who])
    assert row_counts(db) == before
    accounts.set_organiser(db, actor_id=SYSTEM, user_id=world["outsider"], organiser=True)
    assert accounts.get_user(db, user_id=world["outsider"]).is_organiser
    assert _create(db, world["outsider"]).phase == "setup"


def test_settings_take_the_new_keys_and_keep_fitting_the_languages(db):
    world = make_world(db, languages=["kk", "ru", "en"])
    rt = roundtables.update_settings(
        db,
        actor_id=world["admin"],
        roundtable_id=world.roundtable_id,
        settings={
            "memo_languages": ["kk+ru", "en"],
            "record_language": "kk",
            "outgoing_number": " № 7 ",
            "topics": [{"labels": {"en": "Health"}}],
        },
    )
    assert rt.settings["memo_languages"] == ["en", "kk+ru"] and rt.settings["record_language"] == "kk"
    assert rt.settings["outgoing_number"] == "№ 7" and rt.settings["topics"][0]["key"] == "health"
    assert rt.settings["voting_defaults"]["threshold"] == "2/3"  # defaults filled in for an older roundtable
    with pytest.raises(InvalidInput, match="both Kazakh and Russian") as refused:
        roundtables.update_roundtable(
            db, actor_id=world["admin"], roundtable_id=world.roundtable_id, languages=["kk", "en"]
        )
    assert refused.value.field == "memo_languages"
    assert roundtables.get_roundtable(db, actor_id=world["admin"], roundtable_id=world.roundtable_id).languages == [
        "kk",
        "ru",
        "en",
    ]


# --- the next roundtable from this one -------------------------------------------------------------------------


def test_the_next_roundtable_copies_settings_participants_and_recommendations_as_first_drafts(db):
    world = make_world(db, settings=FULL_SETTINGS, languages=["kk", "ru", "en"])
    rec = recommendations.create_recommendation(
        db,
        actor_id=world["expert"],
        roundtable_id=world.roundtable_id,
        content=content(text="First text"),
        topic="legal-status",
    )
    recommendations.edit_recommendation(
        db,
        actor_id=world["expert"],
        recommendation_id=rec.id,
        base_revision_id=rec.current_revision.id,
        content=content(text="Final text"),
    )
    final_revision = recommendations.set_coauthors(
        db, actor_id=world["expert"], recommendation_id=rec.id, user_ids=[world["expert2"]]
    ).current_revision.id
    gone = recommendations.create_recommendation(
        db, actor_id=world["expert2"], roundtable_id=world.roundtable_id, content=content(title="Withdrawn idea")
    )
    recommendations.set_status(db, actor_id=world["expert2"], recommendation_id=gone.id, status="withdrawn")
    roundtables.set_phase(db, actor_id=world["admin"], roundtable_id=world.roundtable_id, phase="archived")
    accounts.set_organiser(db, actor_id=SYSTEM, user_id=world["admin"], organiser=True)

    new = roundtables.copy_roundtable(
        db,
        actor_id=world["admin"],
        source_id=world.roundtable_id,
        title={"ru": "Второй круглый стол"},
        held_on=date(2026, 2, 5),
        participants=True,
        recommendations=True,
    )

    assert (new.title, new.held_on, new.phase) == ({"ru": "Второй круглый стол"}, date(2026, 2, 5), "setup")
    assert (
        new.settings
        == roundtables.get_roundtable(db, actor_id=world["admin"], roundtable_id=world.roundtable_id).settings
    )
    old_members = {
        (m.user_id, m.role, m.organisation, m.consent_named)
        for m in roundtables.list_members(db, actor_id=SYSTEM, roundtable_id=world.roundtable_id)
    }
    new_members = {
        (m.user_id, m.role, m.organisation, m.consent_named)
        for m in roundtables.list_members(db, actor_id=SYSTEM, roundtable_id=new.id)
    }
    assert new_members == old_members
    (draft,) = recommendations.list_recommendations(db, actor_id=world["expert"], roundtable_id=new.id).items
    assert (draft.number, draft.status, draft.topic, draft.created_by) == (1, "draft", "legal-status", world["expert"])
    assert draft.current_revision.number == 1 and draft.current_revision.content["en"].text == "Final text"
    assert draft.coauthor_ids == [world["expert2"]]
    with db.read() as s:
        provenance = s.scalars(select(AuditEvent.details).where(AuditEvent.action == "roundtable.copy")).one()
    assert provenance["source_id"] == world.roundtable_id
    assert provenance["recommendations"] == {str(draft.id): [rec.id, final_revision]}
    # The author goes on drafting in the new roundtable; the old one stays as it was.
    recommendations.edit_recommendation(
        db,
        actor_id=world["expert"],
        recommendation_id=draft.id,
        base_revision_id=draft.current_revision.id,
        content=content(text="Next"),
    )
    assert (
        recommendations.get_recommendation(db, actor_id=world["expert"], recommendation_id=rec.id)
        .current_revision.content["en"]
        .text
        == "Final text"
    )


def test_a_copy_without_participants_has_only_its_creator_and_needs_an_admin_of_the_source(db):
    world = make_world(db)
    organiser = make_organiser(db, "aigerim")
    with pytest.raises(PermissionDenied, match="administrators of a roundtable"):
        roundtables.copy_roundtable(
            db, actor_id=organiser, source_id=world.roundtable_id, title={"en": "Next"}, held_on=date(2026, 2, 5)
        )
    roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=world.roundtable_id, user_id=organiser, role="admin")
    before = row_counts(db)
    new = roundtables.copy_roundtable(
        db,
        actor_id=organiser,
        source_id=world.roundtable_id,
        title={"en": "Next"},
        held_on=date(2026, 2, 5),
        participants=False,
    )
    assert [(m.user_id, m.role) for m in roundtables.list_members(db, actor_id=SYSTEM, roundtable_id=new.id)] == [
        (organiser, "admin")
    ]
    after = row_counts(db)
    assert (after["roundtables"], after["memberships"], after["recommendations"]) == (
        before["roundtables"] + 1,
        before["memberships"] + 1,
        before["recommendations"],
    )
    with pytest.raises(NotFound):
        roundtables.copy_roundtable(db, actor_id=organiser, source_id=999, title={"en": "X"}, held_on=date(2026, 1, 1))
    with pytest.raises(InvalidInput, match="Title cannot be empty"):
        roundtables.copy_roundtable(
            db, actor_id=organiser, source_id=world.roundtable_id, title={}, held_on=date(2026, 1, 1)
        )


# --- phases: set-up, final, archived ---------------------------------------------------------------------------


def test_in_set_up_the_organisers_draft_but_nobody_comments_or_opens_a_round(db):
    world = make_world(db, phase="setup")
    rec = recommendations.create_recommendation(
        db, actor_id=world["moderator"], roundtable_id=world.roundtable_id, content=content()
    )
    recommendations.set_status(db, actor_id=world["moderator"], recommendation_id=rec.id, status="discussion")
    before = row_counts(db)
    with pytest.raises(PermissionDenied, match="still being set up"):
        comments.post_comment(db, actor_id=world["expert"], recommendation_id=rec.id, body="Early remark")
    with pytest.raises(PermissionDenied, match="still being set up"):
        voting.open_round(
            db, actor_id=world["moderator"], roundtable_id=world.roundtable_id, recommendation_ids=[rec.id]
        )
    assert row_counts(db) == before
    roundtables.set_phase(db, actor_id=world["admin"], roundtable_id=world.roundtable_id, phase="drafting")
    comments.post_comment(db, actor_id=world["expert"], recommendation_id=rec.id, body="Now it works")


def test_once_final_nobody_drafts_or_votes_but_moderators_still_clear_what_blocks_the_memo(db):
    world = make_world(db, moderation_mode="pre")
    rec = recommendations.create_recommendation(
        db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content()
    )
    recommendations.set_status(db, actor_id=world["moderator"], recommendation_id=rec.id, status="discussion")
    pending = comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec.id, body="Late remark")
    later = recommendations.create_recommendation(
        db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content(title="Later")
    )
    recommendations.set_status(db, actor_id=world["moderator"], recommendation_id=later.id, status="discussion")
    rnd = voting.open_round(
        db, actor_id=world["moderator"], roundtable_id=world.roundtable_id, recommendation_ids=[rec.id]
    )
    roundtables.set_phase(db, actor_id=world["admin"], roundtable_id=world.roundtable_id, phase="closed")
    before = row_counts(db)
    for who in ("expert", "admin"):
        with pytest.raises(PermissionDenied, match="final"):
            recommendations.edit_recommendation(
                db,
                actor_id=world[who],
                recommendation_id=rec.id,
                base_revision_id=rec.current_revision.id,
                content=content(text="x"),
            )
    with pytest.raises(PermissionDenied, match="final"):
        voting.cast_vote(db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=rec.id, choice="agree")
    with pytest.raises(PermissionDenied, match="final"):
        voting.open_round(
            db, actor_id=world["moderator"], roundtable_id=world.roundtable_id, recommendation_ids=[later.id]
        )
    assert row_counts(db) == before
    assert (
        moderation.moderate_comment(db, actor_id=world["moderator"], comment_id=pending.id, action="approve").status
        == "published"
    )
    assert voting.close_round(db, actor_id=world["moderator"], round_id=rnd.id).round.status == "closed"


def test_an_archived_roundtable_is_read_only_for_everyone_still_listed_and_can_be_unarchived(db):
    world = make_world(db)
    rec = recommendations.create_recommendation(
        db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content()
    )
    archived = roundtables.set_phase(db, actor_id=world["admin"], roundtable_id=world.roundtable_id, phase="archived")
    assert archived.phase == "archived"
    assert roundtables.list_my_roundtables(db, actor_id=world["expert"])[0][0].phase == "archived"
    assert recommendations.get_recommendation(db, actor_id=world["observer"], recommendation_id=rec.id).id == rec.id
    before = row_counts(db)
    refusals = [
        lambda: recommendations.create_recommendation(
            db, actor_id=world["admin"], roundtable_id=world.roundtable_id, content=content()
        ),
        lambda: comments.post_comment(db, actor_id=world["moderator"], recommendation_id=rec.id, body="x"),
        lambda: recommendations.set_status(db, actor_id=world["admin"], recommendation_id=rec.id, status="discussion"),
        lambda: roundtables.update_settings(
            db, actor_id=world["admin"], roundtable_id=world.roundtable_id, settings={"outgoing_number": "1"}
        ),
        lambda: roundtables.update_roundtable(
            db, actor_id=world["admin"], roundtable_id=world.roundtable_id, venue={"en": "Elsewhere"}
        ),
        lambda: roundtables.set_membership(
            db, actor_id=world["admin"], roundtable_id=world.roundtable_id, user_id=world["observer"], role="expert"
        ),
        lambda: participants.import_participants(
            db, actor_id=world["admin"], roundtable_id=world.roundtable_id, text="Dana\tdana@example.kz"
        ),
        lambda: participants.remove_participant(
            db, actor_id=world["admin"], roundtable_id=world.roundtable_id, user_id=world["observer"]
        ),
    ]
    for refuse in refusals:
        with pytest.raises(PermissionDenied, match="archived"):
            refuse()
    assert row_counts(db) == before
    with db.read() as s:
        phases = [e.details for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "roundtable.phase"))]
    assert phases == [{"from": "drafting", "to": "archived"}]
    roundtables.set_phase(db, actor_id=world["admin"], roundtable_id=world.roundtable_id, phase="drafting")
    comments.post_comment(db, actor_id=world["moderator"], recommendation_id=rec.id, body="Back at work")


# --- administrators: adding accounts, the last admin under a race -----------------------------------------------


def test_a_roundtable_admin_cannot_pull_in_an_account_by_id_but_a_system_administrator_can(db):
    world = make_world(db)
    before = row_counts(db)
    with pytest.raises(PermissionDenied, match="by e-mail or with an invitation"):
        roundtables.set_membership(
            db, actor_id=world["admin"], roundtable_id=world.roundtable_id, user_id=world["outsider"], role="expert"
        )
    assert row_counts(db) == before
    root = make_user(db, "root", system_admin=True)
    added = roundtables.set_membership(
        db, actor_id=root, roundtable_id=world.roundtable_id, user_id=world["outsider"], role="expert"
    )
    assert added.role == "expert"
    # Changing the role of someone already in the roundtable stays with its admins.
    assert (
        roundtables.set_membership(
            db, actor_id=world["admin"], roundtable_id=world.roundtable_id, user_id=world["outsider"], role="observer"
        ).role
        == "observer"
    )


def _race(n, fn):
    barrier = threading.Barrier(n)
    results = [None] * n

    def worker(i):
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - the test looks at what each thread got
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _admins(db, roundtable_id):
    with db.read() as s:
        return sorted(
            s.scalars(
                select(Membership.user_id).where(Membership.roundtable_id == roundtable_id, Membership.role == "admin")
            )
        )


def test_two_admins_demoting_or_removing_each_other_at_once_always_leave_one_admin(db):
    world = make_world(db)
    a, b = world["admin"], world["moderator"]
    rt = world.roundtable_id
    for attempt in range(50):
        for uid in (a, b):
            roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=rt, user_id=uid, role="admin")
        pairs = [(a, b), (b, a)]
        if attempt % 2:
            results = _race(
                2,
                lambda i, pairs=pairs: roundtables.set_membership(
                    db, actor_id=pairs[i][0], roundtable_id=rt, user_id=pairs[i][1], role="expert"
                ),
            )
        else:
            results = _race(
                2,
                lambda i, pairs=pairs: participants.remove_participant(
                    db, actor_id=pairs[i][0], roundtable_id=rt, user_id=pairs[i][1]
                ),
            )
        refused = [r for r in results if isinstance(r, Exception)]
        assert len(refused) == 1, (attempt, results)
        assert isinstance(refused[0], (InvalidInput, PermissionDenied)), refused[0]
        assert len(_admins(db, rt)) == 1, attempt
        if not attempt % 2:  # put the removed admin back for the next attempt
            gone = ({a, b} - set(_admins(db, rt))).pop()
            roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=rt, user_id=gone, role="admin")


def test_a_roundtable_stored_before_the_new_settings_reads_them_with_their_defaults(db):
    world = make_world(db, languages=["ru", "kk"])
    with db.write() as s:
        s.get(Roundtable, world.roundtable_id).settings = {"moderators_vote": True}
    rt = roundtables.get_roundtable(db, actor_id=world["expert"], roundtable_id=world.roundtable_id)
    assert rt.settings["moderators_vote"] is True and rt.settings["closing_formula"] == {}
    assert (rt.settings["record_language"], rt.settings["memo_languages"], rt.settings["topics"]) == (
        "kk",
        ["kk", "ru"],
        [],
    )
    assert rt.settings["voting_defaults"]["blocks_prevent_adoption"] is True
