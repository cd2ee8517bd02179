"""Neural Playground — entry point and router only (DESIGN.md). Run: streamlit run app.py

``streamlit run app.py`` finds ``app = st.App(...)`` at the bottom and serves this file through
it: the app then also has the live-training websocket (playground/ui/stream). Every browser
session runs this file as its script (``__name__ == "__main__"``, also under AppTest): the router.
"""

import streamlit as st
from threadpoolctl import threadpool_limits

from playground.ui.layout import page_style

# The matrices here are small: BLAS threads cost more than they save, and on a shared 2-core
# server many sessions' threads fight each other (measured: grid forward 0.4 ms → 2–35 ms).
threadpool_limits(1)

if __name__ == "__main__":
    st.set_page_config(page_title="Neural Playground", page_icon=":material/neurology:", layout="wide")
    page_style()  # readable on a phone and a projector (playground/ui/layout.css)

    PAGES = {
        "Train": [
            st.Page("pages/playground.py", title="Playground", icon=":material/tune:", default=True),
            st.Page("pages/digits.py", title="Handwritten digits", icon=":material/draw:", url_path="digits"),
        ],
        "Understand": [
            st.Page("pages/lessons.py", title="Lessons", icon=":material/school:", url_path="lessons"),
            st.Page("pages/perceptron.py", title="Perceptron & logic gates", icon=":material/power_input:", url_path="perceptron"),
            st.Page("pages/gradients.py", title="Gradients lab", icon=":material/trending_down:", url_path="gradients"),
            st.Page("pages/inside_step.py", title="Inside a step", icon=":material/biotech:", url_path="inside_step"),
            st.Page("pages/activations.py", title="Activation explorer", icon=":material/show_chart:", url_path="activations"),
        ],
    }

    st.navigation(PAGES).run()
else:  # imported by `streamlit run` (ASGI mode): Streamlit's own routes plus the live socket
    from playground.ui.stream.route import routes

    app = st.App("app.py", routes=routes())
