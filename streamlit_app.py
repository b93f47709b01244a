"""recdraft's Streamlit entry point: a page router only; the pages live in recdraft/ui/."""

from recdraft.ui.minimal import main

main()
