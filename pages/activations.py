import streamlit as st

st.title("activations")
st.info("Under construction in this session.")
