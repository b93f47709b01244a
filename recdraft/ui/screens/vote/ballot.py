"""One recommendation on my ballot: its text, its state, my votes so far, the vote form, recusal.

Every action goes through ``services.voting`` (which checks the role and the round again); this module
shows what the ballot view says and collects input. What people wrote reaches the screen through
``recdraft.ui.render``: never as HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from recdraft.domain.voting import VotingMode
from recdraft.schemas.views import RecommendationView
from recdraft.schemas.voting import BallotItemView, RoundView, VoteHistoryView
from recdraft.services import voting as voting_service
from recdraft.ui.a11y import in_language
from recdraft.ui.context import (
    already_submitted,
    db,
    errors_shown,
    fmt_datetime,
    lang,
    remember_submission,
    tr,
)
from recdraft.ui.render import escape_markdown, format_recommendation_text
from recdraft.ui.screens.vote.feedback import delphi_feedback
from recdraft.ui.screens.vote.history import vote_history
from recdraft.ui.widgets.labels import badge, labels_for, language_name, shown_language
from recdraft.ui.widgets.page import flash, go_to
from recdraft.ui.widgets.round_facts import (
    CHOICES,
    RATINGS,
    band_of,
    choice_label,
    rec_heading,
    rec_title,
    title_language,
    vote_words,
)

CHOICE_ICONS = {
    "agree": ":material/thumb_up:",
    "disagree": ":material/thumb_down:",
    "abstain": ":material/remove:",
    "block": ":material/block:",
}


def _act(form: str, values: tuple[Any, ...], action: Callable[[], Any], done_key: str, **done: Any) -> None:
    """Run a service action once per click: skip a double click, show a refusal, flash success and rerun."""
    if already_submitted(form, *values):
        return
    with errors_shown():
        action()
        remember_submission(form, *values)
        flash(done_key, **done)
        st.rerun()


# ----------------------------------------------------------------------------- the ballot


def _status_badge(item: BallotItemView) -> str:
    if item.recused:
        return badge(tr("vote.state.recused"), "gray")
    if not item.can_vote:
        return badge(tr("vote.state.not_open"), "gray")
    if item.stale:
        return badge(tr("vote.state.stale"), "red")
    if item.vote is None:
        return badge(tr("vote.state.needed"), "orange")
    return badge(tr("vote.state.voted"), "green")


def recommendation_text(rec: RecommendationView | None, *, key: str) -> None:
    """The recommendation's current text in an expander, with a button to open its page."""
    with st.expander(tr("vote.read_text"), icon=":material/article:"):
        if rec is None:
            st.caption(tr("vote.text_unavailable"))
            return
        content = rec.current_revision.content
        if not content:
            st.caption(tr("vote.text_unavailable"))
            return
        code = shown_language(content)
        fields = content[code]
        if code != lang():
            st.caption(tr("vote.text_in", language=language_name(code)))
        with in_language(code, f"vote_text_{key}"):
            st.markdown(format_recommendation_text(fields.text))
        if fields.rationale.strip():
            st.markdown(f"**{escape_markdown(tr('recs.field.rationale'))}**")
            with in_language(code, f"vote_rationale_{key}"):
                st.markdown(format_recommendation_text(fields.rationale))
        if fields.legal_basis.strip():
            st.markdown(f"**{escape_markdown(tr('recs.field.legal_basis'))}**")
            with in_language(code, f"vote_legal_{key}"):
                st.markdown(format_recommendation_text(fields.legal_basis))
        if st.button(tr("vote.open_rec"), key=f"vote_open_{key}", type="tertiary", icon=":material/open_in_new:"):
            go_to("recommendations", rec=rec.id)


def _your_vote_line(item: BallotItemView) -> None:
    vote = item.vote
    if vote is None:
        st.caption(tr("vote.yours_none"))
        return
    st.caption(tr("vote.yours", vote=vote_words(vote.choice, vote.rating), when=fmt_datetime(vote.updated_at)))


def _simple_ballot(user_id: int, rnd: RoundView, item: BallotItemView, key: str) -> None:
    vote = item.vote
    choice = st.segmented_control(
        tr("vote.choose"),
        list(CHOICES),
        default=vote.choice if vote and vote.choice in CHOICES else None,
        format_func=labels_for(CHOICES, lambda c: f"{CHOICE_ICONS[c]} {choice_label(c)}"),
        key=f"vote_choice_{key}",
    )
    if choice == "block":
        st.caption(tr("vote.block_help"))
    with st.form(f"vote_form_{key}", border=False, enter_to_submit=False):
        reason, named = "", False
        # An abstention carries no reason; an agree vote may (it is the dissent when the text is rejected).
        if choice in ("agree", "disagree", "block"):
            same = vote is not None and vote.choice == choice
            reason = st.text_area(
                tr("vote.reason_block") if choice == "block" else tr("vote.reason_disagree"),
                value=(vote.reason or "") if same and vote is not None else "",
                key=f"vote_reason_{key}_{choice}",
                height=90,
                placeholder=tr(
                    {"block": "vote.reason_block_hint", "agree": "vote.reason_agree_hint"}.get(
                        choice, "vote.reason_hint"
                    )
                ),
            )
            named = _named_checkbox(rnd, item, key)
        sent = _submit(item, key)
    if not sent:
        return
    if choice is None:
        st.error(tr("vote.choose_first"))
        return
    if choice == "block" and not reason.strip():
        st.error(tr("vote.block_needs_reason"))
        return
    text = reason.strip() or None
    _act(
        f"vote_{key}",
        (choice, text, named, item.current_revision_id),
        lambda: voting_service.cast_vote(
            db(),
            actor_id=user_id,
            round_id=rnd.id,
            recommendation_id=item.recommendation_id,
            choice=choice,
            reason=text,
            reason_named=bool(named and text),
        ),
        "vote.done.cast",
        number=item.recommendation_number,
    )


def _submit(item: BallotItemView, key: str) -> bool:
    """The ballot's submit button: prominent while a vote is needed, quieter for changing a counted vote."""
    label = tr("vote.change") if item.vote is not None else tr("vote.cast")
    return st.form_submit_button(
        label,
        type="primary" if item.needs_action else "secondary",
        key=f"vote_submit_{key}",
        icon=":material/how_to_vote:",
    )


def _named_checkbox(rnd: RoundView, item: BallotItemView, key: str) -> bool:
    if rnd.anonymous:
        st.caption(tr("vote.anonymous_reasons"))
        return False
    return st.checkbox(
        tr("vote.named"),
        value=bool(item.vote and item.vote.reason_named),
        key=f"vote_named_{key}",
        help=tr("vote.named_help"),
    )


def _delphi_ballot(user_id: int, rnd: RoundView, item: BallotItemView, key: str) -> None:
    vote = item.vote
    low, high = band_of(rnd.rules)
    with st.form(f"vote_form_{key}", border=False, enter_to_submit=False):
        rating = st.segmented_control(
            tr("vote.rate"),
            list(RATINGS),
            default=vote.rating if vote and vote.rating else None,
            key=f"vote_rating_{key}",
            help=tr("vote.rate_help", low=low, high=high),
        )
        st.caption(tr("vote.rate_scale", low=low, high=high))
        comment = st.text_area(
            tr("vote.comment"),
            value=(vote.reason or "") if vote else "",
            height=90,
            key=f"vote_comment_{key}",
            placeholder=tr("vote.comment_hint"),
        )
        block = st.checkbox(
            tr("vote.delphi_block"),
            value=bool(vote and vote.choice == "block"),
            key=f"vote_block_{key}",
            help=tr("vote.block_help"),
        )
        named = _named_checkbox(rnd, item, key)
        sent = _submit(item, key)
    if not sent:
        return
    if rating is None:
        st.error(tr("vote.rate_first"))
        return
    if block and not comment.strip():
        st.error(tr("vote.block_needs_reason"))
        return
    text = comment.strip() or None
    choice = "block" if block else None
    _act(
        f"vote_{key}",
        (rating, choice, text, named, item.current_revision_id),
        lambda: voting_service.cast_vote(
            db(),
            actor_id=user_id,
            round_id=rnd.id,
            recommendation_id=item.recommendation_id,
            rating=int(rating),
            choice=choice,
            reason=text,
            reason_named=bool(named and text),
        ),
        "vote.done.cast",
        number=item.recommendation_number,
    )


def _recusal(user_id: int, rnd: RoundView, item: BallotItemView, key: str) -> None:
    if item.recused:
        st.info(tr("vote.recused_info"), icon=":material/do_not_disturb_on:")
        if st.button(tr("vote.unrecuse"), key=f"vote_unrecuse_{key}", icon=":material/undo:"):
            _act(
                f"unrecuse_{key}",
                (),
                lambda: voting_service.withdraw_recusal(
                    db(), actor_id=user_id, round_id=rnd.id, recommendation_id=item.recommendation_id
                ),
                "vote.done.unrecused",
                number=item.recommendation_number,
            )
        return
    with st.expander(tr("vote.recuse_open"), icon=":material/do_not_disturb_on:"):
        st.caption(tr("vote.recuse_help"))
        with st.form(f"vote_recuse_form_{key}", border=False, enter_to_submit=False):
            reason = st.text_input(tr("vote.recuse_reason"), key=f"vote_recuse_reason_{key}")
            sent = st.form_submit_button(tr("vote.recuse"), key=f"vote_recuse_{key}")
        if sent:
            _act(
                f"recuse_{key}",
                (reason,),
                lambda: voting_service.recuse(
                    db(),
                    actor_id=user_id,
                    round_id=rnd.id,
                    recommendation_id=item.recommendation_id,
                    reason=reason or "",
                ),
                "vote.done.recused",
                number=item.recommendation_number,
            )


def ballot_item(
    user_id: int,
    rnd: RoundView,
    item: BallotItemView,
    rec: RecommendationView | None,
    history: list[VoteHistoryView] | None = None,
    *,
    read_only: bool = False,
) -> None:
    """One recommendation on the ballot: title and text, state, my votes so far, Delphi feedback, the vote
    form, recusal. ``read_only`` (the roundtable's phase has closed voting): my votes, and no forms."""
    key = f"{rnd.id}_{item.recommendation_id}"
    with st.container(border=True, key=f"vote_item_{key}"):
        head, state = st.columns([5, 1.6], vertical_alignment="center")
        with in_language(title_language(item.title), f"vote_title_{key}", head):  # lang= for a screen reader
            st.markdown(rec_heading(item.recommendation_number, rec_title(item.title, item.recommendation_number)))
        state.container(horizontal_alignment="right").markdown(_status_badge(item), width="content")
        recommendation_text(rec, key=key)
        if not item.can_vote:
            st.caption(tr("vote.not_open_help"))
            return
        if read_only:
            if item.recused:
                st.info(tr("vote.recused_info"), icon=":material/do_not_disturb_on:")
            else:
                _your_vote_line(item)
            if history:
                vote_history(history, key)
            return
        if item.recused:
            _recusal(user_id, rnd, item, key)
            return
        _your_vote_line(item)
        if history:
            vote_history(history, key)
        if item.stale:
            st.warning(tr("vote.stale"), icon=":material/update:")
            if st.button(tr("vote.confirm"), key=f"vote_confirm_{key}", icon=":material/check:"):
                _act(
                    f"confirm_{key}",
                    (item.current_revision_id,),
                    lambda: voting_service.confirm_vote(
                        db(), actor_id=user_id, round_id=rnd.id, recommendation_id=item.recommendation_id
                    ),
                    "vote.done.confirmed",
                    number=item.recommendation_number,
                )
        if rnd.mode == VotingMode.DELPHI:
            if item.previous_round_feedback is not None:
                delphi_feedback(item.previous_round_feedback, band_of(rnd.rules), key=key)
            _delphi_ballot(user_id, rnd, item, key)
        else:
            _simple_ballot(user_id, rnd, item, key)
        _recusal(user_id, rnd, item, key)
