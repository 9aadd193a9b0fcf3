"""The inbox core: models, store and services. Never imports streamlit."""
