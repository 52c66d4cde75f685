"""The history of every read (see store.py)."""
