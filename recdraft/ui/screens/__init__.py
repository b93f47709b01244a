"""The code of the pages: one module (or package) per page, each with a ``render()``."""
