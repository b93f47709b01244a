"""Results: every round and every recommendation's result in it; round management for moderators and admins.

Everyone sees, per round, each recommendation's distribution (bars, or the Delphi 1–9 histogram with
its agreement band), quorum, rule, outcome, the tallies per participant group and the dissenting
reasons (named only where the voter allowed it and the round is not anonymous: the service decides).
While a blind round is open, people other than moderators and admins see that the figures are hidden.

Moderators and admins manage rounds here, beside the live figures they decide on: open a round on
chosen recommendations with its rules, close a round (overriding a block with a recorded reason),
carry the undecided items forward, and download the votes as CSV (UTF-8 with BOM, for Excel).
The round to show can be given in the URL: ``results?round=<number>``.
"""

# The page lives in a module: Streamlit compiles a page file again on every run, a module only once
# (issue 15: on the results page that compiling alone cost more than an empty page).
from recdraft.ui.widgets.results_page import render

render()
