"""The database layer: the declarative base, engines and the unit of work (one transaction per action),
the complete metadata of every domain's tables, and the Alembic migrations that create them.
"""
