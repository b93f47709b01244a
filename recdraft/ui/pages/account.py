"""My account: who I am, my password, whether the memo may name me, my language."""

from recdraft.ui.screens.account import render

render()
