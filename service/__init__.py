"""What the pages need, composed of the domain, the sources and the history (no Streamlit)."""
