"""Moderation (moderators and administrators): pending and flagged comments, hidden ones, the log.

Anyone else who opens the page directly sees a refusal and nothing else; the comments service
checks the role again on every decision. A reason is required to hide, reject or restore.
"""

from recdraft.ui.screens.moderation import render

render()
