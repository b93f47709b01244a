"""Participants (roundtable administrators): who takes part, who is invited, invitation links, adding and removing."""

from recdraft.ui.screens.participants import render

render()
