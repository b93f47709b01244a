"""What the pages share across reruns: the database handle (cached, thread-safe) and the signed-in user."""

from __future__ import annotations

import streamlit as st

from recdraft import config
from recdraft.db.engine import Database


@st.cache_resource
def database() -> Database:
    """One engine per process; Sessions and ORM rows are never cached."""
    return Database(config.database_url())
