import streamlit as st

st.title("gradients")
st.info("Under construction in this session.")
