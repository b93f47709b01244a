"""Overview: the roundtable, my to-dos, and what changed since my last visit."""

from recdraft.ui.screens.overview import render

render()
