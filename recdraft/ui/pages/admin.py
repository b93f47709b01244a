"""Administration (roundtable admins; system administrators also manage accounts and backups)."""

from recdraft.ui.screens.admin import render

render()
