"""Orchestration on asyncio: discovery, polling, alerts. No Qt here."""
