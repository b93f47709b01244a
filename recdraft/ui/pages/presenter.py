"""The meeting on the projector, run by the moderator."""

from recdraft.ui.screens.presenter import render

render()
