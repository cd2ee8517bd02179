"""Neural Playground: a NumPy neural-network engine, toy datasets and pure Plotly figures.

Importable from a notebook without Streamlit (only ``playground.ui`` imports Streamlit).
"""
