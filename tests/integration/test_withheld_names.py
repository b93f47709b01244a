"""A person who did not consent to be named is never named in anything the product exports.

One world: a commenter and a voter who withheld their names (``Membership.consent_named`` False).
The commenter also revised a recommendation (a tracked change in the redline) and the voter gave a
named reason with a disagree vote and a block. Every memo variant in every language, unzipped part
by part, and both CSV exports are searched for their names and usernames.
"""

from __future__ import annotations

import io
import zipfile

from recdraft.services import comments, memo, recommendations, roundtables, voting
from recdraft.services import moderation
from recdraft.services._base import SYSTEM
from recdraft.services.memo import LANGUAGES, VARIANTS
from recdraft.services.results import export_votes_csv
from tests.factories import World, content, make_user, make_world

WITHHELD = {"commenter": ("dauren.secretov", "Dauren Secretov"), "voter": ("saule.hiddenova", "Saule Hiddenova")}
SIGNATORY = {"name": {"en": "Aigerim Nurlanova", "ru": "Айгерим Нурланова", "kk": "Әйгерім Нұрланқызы"},
             "position": {"en": "Dean, School of Law", "ru": "Декан Школы права", "kk": "Құқық мектебінің деканы"}}


def withheld_world(db) -> tuple[World, dict[str, int]]:
    """Two adopted recommendations; a withheld commenter who revised one, a withheld voter who dissented.

    Returns the world and the ids: rec1, rec2, comment (the withheld commenter's), reply, round.
    """
    w = make_world(db)
    roundtables.update_settings(db, actor_id=SYSTEM, roundtable_id=w.roundtable_id,
                                settings={"signatory": SIGNATORY, "outgoing_number": "№ 01-12/345"})
    for key, (username, name) in WITHHELD.items():
        uid = make_user(db, username, display_name=name)
        roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, user_id=uid, role="expert",
                                   organisation="Mazhilis", consent_named=False)
        w.users[key] = uid
    rec1 = recommendations.create_recommendation(
        db, actor_id=w["expert"], roundtable_id=w.roundtable_id,
        content={"en": {"title": "Adopt a law on the National Society",
                        "text": "Parliament should adopt a law on the National Society. It should define its status.",
                        "rationale": "Recognition gives certainty."},
                 "ru": {"title": "Принять закон о Национальном обществе",
                        "text": "Парламенту следует принять закон о Национальном обществе."},
                 "kk": {"title": "Ұлттық қоғам туралы заң қабылдау",
                        "text": "Парламент Ұлттық қоғам туралы заң қабылдауы тиіс."}}).id
    rec2 = recommendations.create_recommendation(
        db, actor_id=w["commenter"], roundtable_id=w.roundtable_id,
        content=content(title="Protect the emblem", text="Regulate the use of the red crescent emblem.")).id
    for rec_id in (rec1, rec2):
        recommendations.set_status(db, actor_id=w["moderator"], recommendation_id=rec_id, status="discussion")
    comment = comments.post_comment(db, actor_id=w["commenter"], recommendation_id=rec1,
                                    body="Say which law, please.", quote="adopt a law").id
    moderation.moderate_comment(db, actor_id=w["moderator"], comment_id=comment, action="approve")
    reply = comments.post_comment(db, actor_id=w["expert"], recommendation_id=rec1, parent_id=comment,
                                  body="The law on the Red Crescent Society.").id
    moderation.moderate_comment(db, actor_id=w["moderator"], comment_id=reply, action="approve")
    recommendations.set_coauthors(db, actor_id=w["expert"], recommendation_id=rec1, user_ids=[w["commenter"]])
    current = recommendations.get_recommendation(db, actor_id=w["admin"], recommendation_id=rec1).current_revision
    edited = {lang: c.model_dump() for lang, c in current.content.items()}
    edited["en"]["text"] = ("Parliament should adopt a law on the Red Crescent Society of Kazakhstan. "
                            "It should define its status.")
    recommendations.edit_recommendation(db, actor_id=w["commenter"], recommendation_id=rec1,
                                        base_revision_id=current.id, content=edited, note="Names the Society.")
    revision = recommendations.get_recommendation(db, actor_id=w["admin"], recommendation_id=rec1).current_revision
    comments.resolve_comment(db, actor_id=w["moderator"], comment_id=comment, resolution="addressed",
                             revision_id=revision.id)
    rnd = voting.open_round(db, actor_id=w["moderator"], roundtable_id=w.roundtable_id,
                            recommendation_ids=[rec1, rec2])
    for who in ("expert", "expert2", "commenter"):
        for rec_id in (rec1, rec2):
            voting.cast_vote(db, actor_id=w[who], round_id=rnd.id, recommendation_id=rec_id, choice="agree")
    voting.cast_vote(db, actor_id=w["voter"], round_id=rnd.id, recommendation_id=rec1, choice="disagree",
                     reason="Too broad for a first law.", reason_named=True)
    voting.cast_vote(db, actor_id=w["voter"], round_id=rnd.id, recommendation_id=rec2, choice="block",
                     reason="The emblem belongs to the Geneva Conventions.", reason_named=True)
    voting.close_round(db, actor_id=w["moderator"], round_id=rnd.id,
                       block_overrides={rec2: "The concern is met by the reference to the Conventions."})
    return w, {"rec1": rec1, "rec2": rec2, "comment": comment, "reply": reply, "round": rnd.id}


def _parts(docx: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        return {name: zf.read(name).decode("utf-8", errors="replace") for name in zf.namelist()}


def _leaks(text: str) -> list[str]:
    lowered = text.casefold()
    needles = [n for pair in WITHHELD.values() for n in (*pair, *pair[1].split())]
    return [n for n in needles if n.casefold() in lowered]


def test_no_export_in_any_variant_or_language_names_a_person_who_withheld_their_name(db):
    w, ids = withheld_world(db)
    status = memo.memo_status(db, actor_id=w["admin"], roundtable_id=w.roundtable_id)
    assert status.can_be_final, status.blockers
    found: dict[str, list[str]] = {}
    labels_seen = set()
    for variant in VARIANTS:
        for lang in LANGUAGES:
            result = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, lang=lang,
                                      variant=variant)
            for name, text in _parts(result.content).items():
                if leaks := _leaks(text):
                    found[f"{variant}/{lang}/{name}"] = leaks
                if name == "word/comments.xml":
                    labels_seen.add(text.count("Participant 1") + text.count("Участник 1")
                                    + text.count("Қатысушы 1"))
            if result.snapshot_id:
                snapshot = memo.snapshot_text(db, actor_id=w["admin"], snapshot_id=result.snapshot_id)
                if leaks := _leaks(snapshot):
                    found[f"{variant}/{lang}/snapshot"] = leaks
    comments_csv = comments.export_comments_csv(db, actor_id=w["admin"], roundtable_id=w.roundtable_id)
    votes_csv = export_votes_csv(db, actor_id=w["admin"], round_id=ids["round"])
    for name, text in (("comments.csv", comments_csv), ("votes.csv", votes_csv)):
        if leaks := _leaks(text):
            found[name] = leaks
    assert found == {}
    # The withheld commenter is still credited, under the neutral label, in every review copy.
    assert labels_seen and 0 not in labels_seen
    # The people who consented are named as before.
    assert "Expert2" in votes_csv and "Expert" in comments_csv
