"""Each page's teaching logic, named after its page (pure NumPy, no Streamlit)."""
