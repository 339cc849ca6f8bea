"""The migrations build exactly the schema the models declare, on SQLite and on PostgreSQL."""
import pprint

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


def _for_this_database(dialect_name):
    """Leave out what the models declare for another database only (an index with `.ddl_if(dialect=...)`).

    Only the model side is left out: such an index found in this database is still reported.
    """
    def include(obj, name, type_, reflected, compare_to):
        condition = getattr(obj, "_ddl_if", None)
        if reflected or condition is None or condition.dialect is None or condition.callable_ is not None:
            return True
        dialects = {condition.dialect} if isinstance(condition.dialect, str) else set(condition.dialect)
        return dialect_name in dialects
    return include


def schema_drift(url, metadata) -> list:
    """What `alembic revision --autogenerate` would write for the database at `url`."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True, "compare_server_default": True,
                "include_object": _for_this_database(conn.dialect.name)})
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def _readable(item):
    """Server defaults as their SQL text (their repr says nothing)."""
    if isinstance(item, sa.DefaultClause):
        return f"DEFAULT {getattr(item.arg, 'text', item.arg)}"
    if isinstance(item, (list, tuple)):
        return type(item)(_readable(i) for i in item)
    return item


def test_the_migrated_schema_is_what_the_models_declare(db_url, metadata):
    drift = schema_drift(db_url, metadata)
    assert drift == [], ("the models and the migrated schema differ; autogenerate would write:\n"
                         + pprint.pformat(_readable(drift)))
