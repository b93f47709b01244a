"""An exception injected mid-service leaves no partial rows and no audit row."""

from __future__ import annotations

import pytest

from recdraft.services import amendments, recommendations, roundtables
from tests.factories import content, world_with_recommendation
from tests.rowcounts import row_counts


class Boom(RuntimeError):
    pass


def _explode(*args, **kwargs):
    raise Boom("injected failure")


@pytest.fixture
def world(db):
    return world_with_recommendation(db)


@pytest.mark.parametrize(
    "module,call",
    [
        (
            recommendations,
            lambda w: recommendations.create_recommendation(
                w.db, actor_id=w["expert"], roundtable_id=w.roundtable_id, content=content()
            ),
        ),
        (
            recommendations,
            lambda w: recommendations.edit_recommendation(
                w.db,
                actor_id=w["expert"],
                recommendation_id=w.rec.id,
                base_revision_id=w.rec.current_revision.id,
                content=content(text="changed"),
            ),
        ),
        (
            amendments,
            lambda w: amendments.propose_amendment(
                w.db, actor_id=w["expert2"], recommendation_id=w.rec.id, content=content(text="x")
            ),
        ),
        (
            roundtables,
            lambda w: roundtables.set_membership(
                w.db, actor_id=w["admin"], roundtable_id=w.roundtable_id, user_id=w["observer"], role="expert"
            ),
        ),
    ],
    ids=["create", "edit", "amend", "membership"],
)
def test_a_failure_while_writing_the_audit_row_rolls_back_everything(world, monkeypatch, module, call):
    """The audit row is the last step: failing there proves the earlier rows of the action roll back."""
    before = row_counts(world.db)
    monkeypatch.setattr(module, "audit", _explode)
    with pytest.raises(Boom):
        call(world)
    assert row_counts(world.db) == before


def test_a_failure_after_the_revision_is_flushed_leaves_the_recommendation_unchanged(world, monkeypatch):
    before = row_counts(world.db)
    real = recommendations.add_revision

    def add_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise Boom("after flush")

    monkeypatch.setattr(recommendations, "add_revision", add_then_fail)
    with pytest.raises(Boom):
        recommendations.edit_recommendation(
            world.db,
            actor_id=world["expert"],
            recommendation_id=world.rec.id,
            base_revision_id=world.rec.current_revision.id,
            content=content(text="changed"),
        )
    assert row_counts(world.db) == before
    again = recommendations.get_recommendation(world.db, actor_id=world["expert"], recommendation_id=world.rec.id)
    assert again.current_revision.id == world.rec.current_revision.id and again.version == world.rec.version
