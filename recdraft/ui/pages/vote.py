"""Vote: one ballot with everything open to me, round by round (``recdraft.ui.screens.vote``)."""

from recdraft.ui.screens.vote import render

render()
