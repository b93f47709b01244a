"""The meeting on a phone: join, follow, vote."""

from recdraft.ui.screens.live import render

render()
