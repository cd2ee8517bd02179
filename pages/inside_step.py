import streamlit as st

st.title("inside_step")
st.info("Under construction in this session.")
