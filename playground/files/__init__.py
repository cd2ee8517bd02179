"""Files in and out: notebook export, CSV upload (no Streamlit)."""
