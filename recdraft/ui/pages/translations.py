"""Translations: what still needs translating into each of the roundtable's languages, and the form to do it.

Adopted texts come first: they hold the final memo, which is made only when every adopted text exists and is
current in the memo's language(s). A translation never changes the agreed wording and never makes a vote
stale (see ``recdraft.services.translations``). Open a recommendation (``?rec=<id>``) to translate it side by
side with its source.
"""

from recdraft.ui.screens.translations import render

render()
