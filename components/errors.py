"""What a person sees when the page itself fails: a short apology, never a traceback."""

import streamlit as st

SOMETHING_WENT_WRONG = (
    "Something went wrong on our side. It has been logged; please try again or reload the page."
)


def show_short_error(error: Exception) -> bool:
    """Streamlit's on_script_error hook: it has logged the traceback on the server already.
    Returns True, so Streamlit shows nothing of the error itself."""
    st.error(SOMETHING_WENT_WRONG, icon="⚠️")
    return True
