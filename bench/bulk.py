"""A province's address tree (copies of the demo district), and its generated cases written into PostgreSQL
fast: COPY text made from each template case's rows (constant cells rendered once, per-clone cells filled
in), with the loaded tables' secondary indexes and foreign keys set aside during the load and rebuilt after
it, as a bulk load into a database is done.

Used by bench/web.py; the rows are the same a clone gets on SQLite (see web.clone_rows).
"""
from __future__ import annotations

import contextlib
import json
import zlib
from datetime import datetime

import sqlalchemy as sa

from workflows.org.models import Area

TABLES = ("process_instance", "human_task", "audit_event", "case_person")


def text(value) -> str:
    """One cell in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, bytes):
        return "\\\\x" + value.hex()
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Shifted:
    """A time cell: the template's time moved to the clone's."""
    __slots__ = ("value",)

    def __init__(self, value: datetime):
        self.value = value


class Pattern:
    """A template's rows for one table as cells: constant text, Shifted times, or functions of the clone."""

    def __init__(self, columns: list[str], rows: list[dict], special):
        self.columns = columns
        self.rows = []
        for row in rows:
            per_row = special(row)
            self.rows.append([per_row[c] if c in per_row
                              else Shifted(row[c]) if isinstance(row[c], datetime) else text(row[c])
                              for c in columns])

    def render(self, clone, out: list) -> None:
        shift = clone.shift
        for cells in self.rows:
            line = []
            for cell in cells:
                if cell.__class__ is str:
                    line.append(cell)
                elif cell.__class__ is Shifted:
                    line.append((cell.value + shift).isoformat(" "))
                else:
                    line.append(cell(clone))
            out.append("\t".join(line))


class Clone:
    """What differs between two clones of one template."""
    __slots__ = ("id", "shift", "room", "ids", "person_no", "template", "geo", "created")

    def __init__(self, template: dict, new_id: int, room, geo, created: datetime, person_no: int, fresh_id):
        self.template, self.id, self.room, self.geo, self.created = template, new_id, room, geo, created
        self.shift = created - template["started"]
        self.person_no = person_no
        self.ids = {old: fresh_id() for old in dict.fromkeys(template["ids"])}


def _state(c: Clone) -> str:
    t = c.template
    pieces = [t["parts"][0]]
    for old, part in zip(t["ids"], t["parts"][1:]):
        pieces.append(c.ids[old].encode())
        pieces.append(part)
    return "\\\\x" + zlib.compress(b"".join(pieces), 1).hex()


def patterns(template: dict, fresh_id, make_id) -> dict[str, Pattern]:
    """The template's four tables as patterns (computed once per template)."""
    t = template
    prefix = "AJ" if t["process_id"] == "six_step_case" else "WB"

    def instance(row):
        return {"id": lambda c: str(c.id),
                "reference": lambda c: f"{prefix}{c.created.year}{c.id:07d}",
                "title": lambda c: text(f"{c.room.full_name[-12:]}{row['title']}"),
                "area_id": lambda c: str(c.room.id), "area_path": lambda c: c.room.path,
                "state": _state, "version": "1", "parent_instance_id": r"\N"}

    def task(row):
        old = row["id"]
        cells = {"id": (lambda c: c.ids[old]) if old in t["ids"] else (lambda c: fresh_id()),
                 "instance_id": lambda c: str(c.id), "overdue_matter_id": r"\N",
                 "area_id": lambda c: str(c.room.id), "area_path": lambda c: c.room.path}
        if t["process_id"] == "five_contracts" and row["level"]:
            level, ready, assignee = row["level"], row["state"] == "ready", row["assignee_id"]
            cells["area_id"] = lambda c: str(c.geo.at_level(c.room, level)[0].id)
            cells["area_path"] = lambda c: c.geo.at_level(c.room, level)[0].path
            cells["assignee_id"] = lambda c: text(c.geo.at_level(c.room, level)[1] if ready else assignee)
        return cells

    def event(row):
        old = row["task_id"]
        return {"instance_id": lambda c: str(c.id),
                "task_id": (lambda c: c.ids.get(old, old)) if old else r"\N"}

    def person(row):
        def number(i):
            return lambda c: make_id(c.person_no + i)

        def name(i):
            return lambda c: f"{'张王李赵刘陈杨黄'[(c.person_no + i) % 8]}某{c.person_no + i}"
        i = t["persons"].index(row)
        return {"instance_id": lambda c: str(c.id), "id_number": number(i), "name": name(i)}

    def columns(rows, skip=()):
        return [k for k in rows[0] if k not in skip] if rows else []

    return {
        "process_instance": Pattern(columns([t["row"]]), [t["row"]], instance),
        "human_task": Pattern(columns(t["tasks"]), t["tasks"], task),
        "audit_event": Pattern(columns(t["events"], ("id",)), t["events"], event),
        "case_person": Pattern(columns(t["persons"], ("id",)), t["persons"], person),
    }


def add_districts(services, copies: int) -> int:
    """`copies` more districts shaped like the demo one (a province has many), as multi-row inserts of the
    area tree with fresh ids and paths; returns how many areas were added."""
    if copies <= 0:
        return 0
    with services.db.read() as s:
        areas = [{c.key: getattr(a, c.key) for c in sa.inspect(a).mapper.column_attrs}
                 for a in s.scalars(sa.select(Area).order_by(Area.id))]
        next_id = s.scalar(sa.select(sa.func.max(Area.id))) + 1
    rows = []
    for k in range(1, copies + 1):
        new_id = {a["id"]: next_id + i for i, a in enumerate(areas)}
        next_id += len(areas)
        for a in areas:
            path = "/" + "/".join(str(new_id[int(i)]) for i in a["path"].strip("/").split("/")) + "/"
            tag = f"{k}" if a["kind"] in ("district", "street") else ""
            rows.append(dict(a, id=new_id[a["id"]], parent_id=new_id.get(a["parent_id"]), path=path,
                             name=a["name"] + tag, full_name=_renamed_street(a["full_name"], k)))
    insert_areas(services, rows)
    return len(rows)


def insert_areas(services, rows: list[dict]) -> None:
    """Area rows with their ids given, in batches; on PostgreSQL the id sequence then continues after them."""
    with services.db.unit_of_work() as s:
        for i in range(0, len(rows), 5000):
            s.execute(Area.__table__.insert(), rows[i:i + 5000])
    if services.db.is_postgres:
        with services.db.engine.begin() as conn:
            conn.exec_driver_sql("SELECT setval('area_id_seq', (SELECT max(id) FROM area))")


def _renamed_street(full_name: str, k: int) -> str:
    """吴家山街第一社区… -> 吴家山街7第一社区…: the copy's street names (and so its addresses) are its own."""
    head, sep, rest = full_name.partition("街")
    return f"{head}{sep}{k}{rest}" if sep else f"{full_name}{k}"


def copy_batch(raw_connection, batch: dict[str, tuple[list[str], list[str]]]) -> None:
    """COPY each table's lines of one batch, in one transaction."""
    cur = raw_connection.cursor()
    for table in TABLES:
        columns, lines = batch.get(table, ([], []))
        if lines:
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write("\n".join(lines) + "\n")
    raw_connection.commit()


@contextlib.contextmanager
def indexes_set_aside(conn):
    """Drop the loaded tables' secondary indexes and foreign keys, and build them again afterwards
    (once over all rows is far cheaper than maintaining them row by row)."""
    names = ", ".join(f"'{t}'" for t in TABLES)
    fks = conn.exec_driver_sql(
        f"SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        f"WHERE contype = 'f' AND conrelid::regclass::text IN ({names})").all()
    indexes = conn.exec_driver_sql(
        f"SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ({names}) "
        f"AND indexname NOT IN (SELECT conname FROM pg_constraint)").all()
    for table, name, _ in fks:
        conn.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    conn.commit()
    try:
        yield
    finally:
        conn.exec_driver_sql("SET maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            conn.exec_driver_sql(definition)
        for table, name, definition in fks:
            conn.exec_driver_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        conn.commit()
