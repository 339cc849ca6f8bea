"""Fixed statements sent straight to the DB-API driver, for the few that run on every action or request.

SQLAlchemy's statement machinery (compiled cache look-up, execution context, result object) costs ~15 µs a
statement, several times what the driver takes to run a one-row UPDATE, INSERT or key look-up. A
`DriverStatement` is a Core statement compiled once per dialect (and, for an INSERT or UPDATE, per set of
columns given), whose parameters are converted by the columns' own SQLAlchemy types (their bind processors:
SQLite's dates as text, JSON serialized, PostgreSQL's JSON wrapped for psycopg) and sent positional or named as
the dialect wants. A write runs on the unit of work's own DB-API connection, in its transaction, and returns the
row count; a read returns its row converted by the columns' result processors, as a Core result would.

What SQLAlchemy would do beyond that is refused rather than imitated: a column default that is not a plain
value (a callable, a SQL expression) or a bind name that needs escaping raises at the first compile.

Such statements do not pass SQLAlchemy's execution events (before_/after_cursor_execute): a listener counting
or timing statements does not see them (bench/measure.py listens only while the assessment rules read, which
send none this way).
"""
from __future__ import annotations

import weakref
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session


class Compiled(NamedTuple):
    sql: str
    names: tuple | None  # parameter names in order, for a positional dialect; None: named parameters
    binds: tuple  # (name, bind processor) of the parameters whose type converts
    constants: dict  # parameters with fixed values (literal values in the statement, plain column defaults)
    results: tuple  # (column index, result processor) of the selected columns whose type converts


class DriverStatement:
    """One fixed Core statement (SELECT, INSERT or UPDATE), run on the driver's cursor."""

    def __init__(self, statement):
        self.statement = statement
        # Per dialect (an engine's), forgotten with it: tests and scripts make many engines.
        self._by_dialect: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def compiled(self, dialect, keys: frozenset | None = None) -> Compiled:
        """The statement for `dialect`; an INSERT or UPDATE with the columns named by `keys` (its SET or
        VALUES clause comes from the parameters given, as with Connection.execute)."""
        by_keys = self._by_dialect.get(dialect)
        if by_keys is None:
            by_keys = self._by_dialect[dialect] = {}
        found = by_keys.get(keys)
        if found is None:
            found = by_keys[keys] = self._compile(dialect, keys)
        return found

    def _compile(self, dialect, keys) -> Compiled:
        # for_executemany: no implicit RETURNING of the new key (PostgreSQL) that nobody reads.
        compiled = self.statement.compile(dialect=dialect, column_keys=list(keys) if keys is not None else None,
                                          for_executemany=True)
        if compiled.escaped_bind_names:
            raise ValueError(f"bind names needing escapes are not supported: {compiled.escaped_bind_names}")
        constants = {}
        prefetch = [(c, c.default) for c in compiled.insert_prefetch] + \
            [(c, c.onupdate) for c in compiled.update_prefetch]
        for column, default in prefetch:
            if default is None or not default.is_scalar:
                raise ValueError(f"column {column.key} needs a default SQLAlchemy computes; pass its value")
            constants[column.key] = default.arg
        binds = {}
        for bind, name in compiled.bind_names.items():  # a name may stand for several copies of one bind
            if not bind.required and name not in constants:
                constants[name] = bind.effective_value
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:
                binds[name] = convert
        results = ()
        if isinstance(self.statement, sa.Select):
            # Only the columns whose type converts what the driver returns (most return it as it is).
            results = tuple((i, convert) for i, column in enumerate(self.statement.selected_columns)
                            if (convert := column.type.dialect_impl(dialect).result_processor(dialect, None))
                            is not None)
        names = tuple(compiled.positiontup) if dialect.positional else None
        return Compiled(str(compiled), names, tuple(binds.items()), constants, results)

    @staticmethod
    def _parameters(found: Compiled, params: dict):
        """The driver's parameters; `params` itself stays as it was."""
        params = {**found.constants, **params}
        for name, convert in found.binds:
            params[name] = convert(params[name])
        return tuple(params[n] for n in found.names) if found.names is not None else params

    def first(self, dbapi_connection, dialect, params: dict) -> tuple | None:
        """The first row of a SELECT as a tuple in the order of its columns, or None; run on
        `dbapi_connection` in whatever transaction it is in."""
        found = self.compiled(dialect)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(found.sql, self._parameters(found, params))
            row = cursor.fetchone()
        finally:
            cursor.close()
        if row is None:
            return None
        if found.results:
            row = list(row)
            for i, convert in found.results:
                row[i] = convert(row[i])
        return tuple(row)

    def _for_write(self, session: Session, keys: frozenset):
        """The statement compiled for these columns, and a cursor on the unit of work's DB-API connection."""
        connection = session.connection()
        return self.compiled(connection.dialect, keys), connection.connection.dbapi_connection.cursor()

    def write(self, session: Session, params: dict) -> int:
        """Run an INSERT or UPDATE with `params` (column values and the statement's own bind parameters) in
        the unit of work's transaction; returns the number of rows it matched."""
        found, cursor = self._for_write(session, frozenset(params))
        try:
            cursor.execute(found.sql, self._parameters(found, params))
            return cursor.rowcount
        finally:
            cursor.close()

    def write_many(self, session: Session, rows: list[dict]) -> None:
        """Run an INSERT or UPDATE once per row, in the unit of work's transaction."""
        if not rows:
            return
        keys = frozenset(rows[0])
        if any(frozenset(row) != keys for row in rows):  # rows giving different columns: one at a time
            for row in rows:
                self.write(session, row)
            return
        found, cursor = self._for_write(session, keys)
        try:
            cursor.executemany(found.sql, [self._parameters(found, row) for row in rows])
        finally:
            cursor.close()
