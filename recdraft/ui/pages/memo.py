"""Memo (roundtable administrators): blockers, building and downloading every variant, snapshots, settings."""

from recdraft.ui.screens.memo import render

render()
