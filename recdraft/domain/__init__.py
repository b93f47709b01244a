"""Pure rules: no database, no Streamlit, no I/O."""
