"""Neural Playground — entry point and router only (DESIGN.md). Run: streamlit run app.py"""

import streamlit as st

st.set_page_config(page_title="Neural Playground", page_icon=":material/neurology:", layout="wide")

PAGES = {
    "Train": [
        st.Page("pages/playground.py", title="Playground", icon=":material/tune:", default=True),
        st.Page("pages/digits.py", title="Handwritten digits", icon=":material/draw:", url_path="digits"),
    ],
    "Understand": [
        st.Page("pages/perceptron.py", title="Perceptron & logic gates", icon=":material/power_input:", url_path="perceptron"),
        st.Page("pages/gradients.py", title="Gradients lab", icon=":material/trending_down:", url_path="gradients"),
        st.Page("pages/inside_step.py", title="Inside a step", icon=":material/biotech:", url_path="inside_step"),
        st.Page("pages/activations.py", title="Activation explorer", icon=":material/show_chart:", url_path="activations"),
    ],
}

st.navigation(PAGES).run()
