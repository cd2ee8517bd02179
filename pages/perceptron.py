import streamlit as st

st.title("perceptron")
st.info("Under construction in this session.")
