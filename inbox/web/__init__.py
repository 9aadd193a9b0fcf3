"""HTTP entry points served beside the Streamlit pages: parse the request, call a service."""
