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
from recdraft.services._base import SYSTEM
from recdraft.services.memo import LANGUAGES, VARIANTS
from recdraft.services.voting import export_votes_csv
from tests.factories import (
    World,
    add_member,
    edit,
    make_comment,
    make_recommendation,
    make_round,
    make_world,
    move_to,
    vote,
)

WITHHELD = {"commenter": ("dauren.secretov", "Dauren Secretov"), "voter": ("saule.hiddenova", "Saule Hiddenova")}
SIGNATORY = {
    "name": {"en": "Aigerim Nurlanova", "ru": "Айгерим Нурланова", "kk": "Әйгерім Нұрланқызы"},
    "position": {"en": "Dean, School of Law", "ru": "Декан Школы права", "kk": "Құқық мектебінің деканы"},
}


def withheld_world(db) -> tuple[World, dict[str, int]]:
    """Two adopted recommendations; a withheld commenter who revised one, a withheld voter who dissented.

    Returns the world and the ids: rec1, rec2, comment (the withheld commenter's), reply, round.
    """
    w = make_world(db)
    roundtables.update_settings(
        db,
        actor_id=SYSTEM,
        roundtable_id=w.roundtable_id,
        settings={"signatory": SIGNATORY, "outgoing_number": "№ 01-12/345"},
    )
    for key, (username, name) in WITHHELD.items():
        add_member(w, key, "expert", username=username, display_name=name, organisation="Mazhilis", consent_named=False)
    rec1 = make_recommendation(
        w,
        "expert",
        content={
            "en": {
                "title": "Adopt a law on the National Society",
                "text": "Parliament should adopt a law on the National Society. It should define its status.",
                "rationale": "Recognition gives certainty.",
            },
            "ru": {
                "title": "Принять закон о Национальном обществе",
                "text": "Парламенту следует принять закон о Национальном обществе.",
            },
            "kk": {
                "title": "Ұлттық қоғам туралы заң қабылдау",
                "text": "Парламент Ұлттық қоғам туралы заң қабылдауы тиіс.",
            },
        },
    ).id
    rec2 = make_recommendation(
        w, "commenter", title="Protect the emblem", text="Regulate the use of the red crescent emblem."
    ).id
    for rec_id in (rec1, rec2):
        move_to(w, rec_id, "discussion", current="draft")
    comment = make_comment(
        w, "commenter", "Say which law, please.", rec=rec1, quote="adopt a law", approve_by="moderator"
    ).id
    reply = make_comment(
        w, "expert", "The law on the Red Crescent Society.", rec=rec1, parent_id=comment, approve_by="moderator"
    ).id
    recommendations.set_coauthors(db, actor_id=w["expert"], recommendation_id=rec1, user_ids=[w["commenter"]])
    current = recommendations.get_recommendation(db, actor_id=w["admin"], recommendation_id=rec1).current_revision
    edited = {lang: c.model_dump() for lang, c in current.content.items()}
    edited["en"]["text"] = (
        "Parliament should adopt a law on the Red Crescent Society of Kazakhstan. It should define its status."
    )
    revision = edit(
        w, rec1, "commenter", content=edited, base_revision_id=current.id, note="Names the Society."
    ).current_revision
    comments.resolve_comment(
        db, actor_id=w["moderator"], comment_id=comment, resolution="addressed", revision_id=revision.id
    )
    rnd = make_round(w, [rec1, rec2])
    for who in ("expert", "expert2", "commenter"):
        for rec_id in (rec1, rec2):
            vote(w, rnd, rec_id, who, "agree")
    vote(w, rnd, rec1, "voter", "disagree", reason="Too broad for a first law.", reason_named=True)
    vote(w, rnd, rec2, "voter", "block", reason="The emblem belongs to the Geneva Conventions.", reason_named=True)
    voting.close_round(
        db,
        actor_id=w["moderator"],
        round_id=rnd.id,
        block_overrides={rec2: "The concern is met by the reference to the Conventions."},
    )
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
            result = memo.export_memo(
                db, actor_id=w["admin"], roundtable_id=w.roundtable_id, lang=lang, variant=variant
            )
            for name, text in _parts(result.content).items():
                if leaks := _leaks(text):
                    found[f"{variant}/{lang}/{name}"] = leaks
                if name == "word/comments.xml":
                    labels_seen.add(text.count("Participant 1") + text.count("Участник 1") + text.count("Қатысушы 1"))
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
