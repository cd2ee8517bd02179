import streamlit as st

st.title("digits")
st.info("Under construction in this session.")
