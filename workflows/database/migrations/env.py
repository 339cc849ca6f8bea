"""Alembic environment: the URL comes from the caller (workflows.database.migrate), never from a file."""
from alembic import context

from workflows.database.metadata import metadata

config = context.config


def run_migrations_online():
    connection = config.attributes.get("connection")
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
