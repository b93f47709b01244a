"""Results: every round and every recommendation's result in it (``recdraft.ui.screens.results``)."""

from recdraft.ui.screens.results import render

render()
