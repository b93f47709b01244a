"""Sign in: user name and password, an invitation link (?invite=…), or single sign-on when configured."""

from recdraft.ui.screens.signin import render

render()
