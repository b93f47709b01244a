"""Draft a new recommendation, or edit one (``?rec=<id>``) from the revision the edit started from.

Why the state is kept as it is:
- ``base_revision_id`` is remembered when editing starts and never re-read at save time, so a save
  after someone else's is refused (``Conflict``) instead of silently overwriting their text.
- The submission key is made from a random value created when the form opens plus what is being
  saved, so a double click stores one revision and a changed text is a new submission.
- On a conflict the person keeps their text in the form (it is also stored on the server), sees
  both texts side by side with a word diff, and saves the merge against the new current revision;
  the kept text is then marked as merged. Kept texts from earlier conflicts are listed below.
"""

from recdraft.ui.screens.draft import render

render()
