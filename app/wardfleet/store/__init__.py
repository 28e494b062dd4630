"""Local SQLite store: inventory, status, samples, outbox and audit.

Every mutation writes its outbox row in the same transaction as the data it changes.
"""

from wardfleet.store.db import CorruptDatabaseError, Database, DataDirError, move_aside
from wardfleet.store.store import Store

__all__ = ["CorruptDatabaseError", "DataDirError", "Database", "Store", "move_aside"]
