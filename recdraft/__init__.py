"""recdraft: turn an expert roundtable into a recommendations memo a parliament can act on."""

__version__ = "0.1.0"
