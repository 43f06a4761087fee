"""Alembic migrations of the inventory store; run by ``mlwarden.store.migrate`` when a store opens."""
