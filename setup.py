"""Packaging hook: the wheel carries the app script, the memo template and the shipped Streamlit settings.

They live at the top of the checkout (``streamlit_app.py``, ``templates/memo.docx``,
``.streamlit/config.toml``), outside the ``recdraft`` package. ``build_py`` copies them into
``recdraft/_bundle/`` of the built package, where ``recdraft serve`` and the memo export find them when
recdraft is installed from a wheel (a checkout uses the files in place). Everything else, the
package's own data files among them, is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ["streamlit_app.py", "templates/memo.docx", ".streamlit/config.toml"]


class BuildWithBundle(build_py):
    def run(self) -> None:
        super().run()
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "recdraft" / "_bundle"
        for name in BUNDLED:
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            self.copy_file(str(root / name), str(destination))


setup(cmdclass={"build_py": BuildWithBundle})
