"""The central hub: a FastAPI app over SQLAlchemy (SQLite by default, PostgreSQL at scale).

It shares only ``wardfleet.domain`` and ``wardfleet.sync.wire`` with the desktop.
"""
