"""Alembic migrations of the hub database, run programmatically (``HubDatabase.migrate``).

Never edit a released revision: add a new one in ``versions/``.
"""
