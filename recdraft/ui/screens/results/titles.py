"""A recommendation's title on the results screens, in the interface language (else any language it has)."""

from __future__ import annotations

from recdraft.schemas.views import RecommendationView
from recdraft.schemas.voting import ItemResultView
from recdraft.ui.context import localized, tr


def item_title(item: ItemResultView) -> str:
    """The item's title, from the results themselves."""
    return localized(dict(item.title), fallback=tr("vote.rec_fallback", number=item.recommendation_number))


def title_of(recs: dict[int, RecommendationView], rec_id: int, number: int) -> str:
    """The title of recommendation ``rec_id`` among ``recs`` (its number's fallback when it is not there)."""
    rec = recs.get(rec_id)
    if rec is None:
        return tr("vote.rec_fallback", number=number)
    return localized(
        {code: c.title for code, c in rec.current_revision.content.items()},
        fallback=tr("vote.rec_fallback", number=number),
    )
