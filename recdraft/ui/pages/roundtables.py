"""Roundtables: the ones I take part in, a new one, the next one from this one, archiving a finished one."""

from recdraft.ui.screens.roundtables import render

render()
