"""Cloning a story's template many times and writing the clones in bulk (see bench/district.py)."""
from __future__ import annotations

import json
import re
import uuid
import zlib
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from stdnum.cn import ric, uscc

import bulk  # bench/bulk.py, beside this file
from workflows.engine import state_codec
from district import Template, Tree, int_tables
from workflows.database.metadata import metadata

PREFIXES = ["420106", "420112", "360426", "430102", "110105", "410102", "510104", "440103", "420117", "421126"]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
NOTICE_NUMBER_RE = re.compile(r"〔(\d{4})〕(\d+)号")
REFERENCE_RE = re.compile(r"^([A-Z]+)(\d{4})(\d{6})$")  # engine.references: prefix, year, six digits
DAY = timedelta(days=1)
# Ids the services write into audit payloads and task data, by key, and the table they name.
ID_KEYS = {"house_id": "rental_house", "sweep_id": "sweep", "check_id": "sweep_check", "complaint_id": "complaint",
           "intermediary_id": "intermediary", "notice_id": "notice", "naming_id": "pf_naming", "seizure_id": "seizure",
           "instance_id": "process_instance", "source_instance_id": "process_instance", "case_id": "process_instance",
           "penalty_instance_id": "process_instance", "patrol_instance_id": "process_instance"}
ID_KEY_RE = re.compile(r'"(' + "|".join(ID_KEYS) + r')": (\d+)')


def make_id(n: int) -> str:
    """A unique, valid resident ID number for generated person n."""
    prefix = PREFIXES[n % len(PREFIXES)]
    born = datetime(1960, 1, 1) + timedelta(days=(n // len(PREFIXES)) % 16000)
    body = f"{prefix}{born:%Y%m%d}{(n // (len(PREFIXES) * 16000)) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_credit_code(n: int) -> str:
    """A unique, valid unified social credit code for generated organisation n."""
    body = f"91420112{n:09d}"
    return body + uscc.calc_check_digit(body)


# What a cell does from clone to clone.
CONST, NEW_ID, REF, AREA, PATH, SHIFT, SHIFT_DATE, TEXT, JSON_TEXT, BLOB, BLOB_RAW, SPECIAL = range(12)


class Shape:
    """A template's cells as operations, computed once per template."""

    def __init__(self, t: Template):
        self.tables = []
        for table in metadata.sorted_tables:
            rows = t.rows.get(table.name)
            if not rows:
                continue
            ops = []
            for row in rows:
                ops.append([(c, *self._op(t, table, table.c[c], row[c])) for c in t.columns[table.name]])
            self.tables.append((table.name, t.columns[table.name], ops))

    @staticmethod
    def _op(t: Template, table, col, value):
        name = col.name
        if value is None:
            return CONST, None
        if name == "id" and table.name != "human_task":
            return NEW_ID, value
        if (table.name, name) in (("notice", "sequence"), ("notice", "year"), ("sweep", "key_area")):
            return SPECIAL, value
        targets = [f.column.table.name for f in col.foreign_keys]
        if targets:
            target = targets[0]
            if target == "area":
                return (AREA, value) if value in t.relation else (CONST, value)
            if target in t.ids and value in t.ids[target]:
                return REF, (target, value)
            return CONST, value
        if name in ("area_path", "path") and value in t.paths:
            return PATH, t.paths[value]
        if isinstance(value, datetime):
            return SHIFT, value
        if isinstance(value, date):
            return SHIFT_DATE, value
        if t.pattern is None and not isinstance(value, (dict, list)):
            return CONST, value
        if isinstance(value, str):
            return (TEXT, value) if t.pattern.search(value) else (CONST, value)
        if isinstance(value, bytes):
            try:
                raw = state_codec.unpack(value)
            except zlib.error:
                return (BLOB_RAW, value) if t.bytes_pattern.search(value) else (CONST, value)
            return (BLOB, raw) if t.bytes_pattern.search(raw) else (CONST, value)
        if isinstance(value, (dict, list)):
            dumped = json.dumps(value, ensure_ascii=False)
            own_ids = any(int(m.group(2)) in t.id_sets.get(ID_KEYS[m.group(1)], ()) for m in ID_KEY_RE.finditer(dumped))
            return (JSON_TEXT, dumped) if own_ids or (t.pattern and t.pattern.search(dumped)) else (CONST, value)
        return CONST, value


class Cloner:
    """Makes clones: fresh ids per table, references and document numbers from the year's counters, people."""

    def __init__(self, session, tree: Tree, for_copy: bool):
        self.tree, self.for_copy = tree, for_copy
        self.next_id = {t.name: (session.execute(sa.select(sa.func.max(t.c.id))).scalar() or 0) + 1
                        for t in int_tables()}
        counters = metadata.tables["reference_counter"]
        self.references = {(r.prefix, r.year): r.last for r in session.execute(sa.select(counters))}
        notices = metadata.tables["notice"]
        self.notices = {(r.prefix, r.year): r.last for r in session.execute(
            sa.select(notices.c.prefix, notices.c.year, sa.func.max(notices.c.sequence).label("last"))
            .group_by(notices.c.prefix, notices.c.year))}
        self.person_no = 1_000_000
        self.organisation_no = 1
        self.serial = 0
        self.run = uuid.uuid4().hex
        self.shapes: dict[int, Shape] = {}

    def _task_id(self) -> str:
        self.serial += 1
        r = self.run
        return f"{r[:8]}-{r[8:12]}-{r[12:16]}-{r[16:20]}-{self.serial:012x}"

    def _area(self, t: Template, anchor: int, old: int) -> int:
        kind, how = t.relation[old]
        if kind == "up":
            chain = self.tree.chain(anchor)
            return chain[len(chain) - 1 - how]
        area = anchor
        for index in how:
            children = self.tree.children[area]
            area = children[index % len(children)]
        return area

    def clone(self, t: Template, anchor: int, created: datetime) -> dict[str, list]:
        """One clone's rows per table (as lists of values in the template's column order)."""
        shape = self.shapes.get(id(t))
        if shape is None:
            shape = self.shapes[id(t)] = Shape(t)
        shift = created - t.started
        date_shift = DAY * round(shift / DAY)
        year = created.year
        ids = {}
        for table, olds in t.ids.items():
            start = self.next_id[table]
            self.next_id[table] = start + len(olds)
            ids[table] = dict(zip(olds, range(start, start + len(olds))))
        areas = {old: self._area(t, anchor, old) for old in t.relation}
        tree_areas = self.tree.areas
        values, notice_seq = {}, {}
        for token, kind in t.tokens.items():
            if kind == "task":
                values[token] = self._task_id()
            elif kind == "reference":
                m = REFERENCE_RE.match(token)
                prefix = m.group(1) if m else "X"
                last = self.references.get((prefix, year), 0) + 1
                self.references[(prefix, year)] = last
                values[token] = f"{prefix}{year}{last:06d}"
            elif kind == "id_number":
                values[token] = make_id(self.person_no)
                self.person_no += 1
            elif kind == "name":
                values[token] = f"{SURNAMES[self.person_no % len(SURNAMES)]}某{self.person_no}"
                self.person_no += 1
            elif kind == "credit_code":
                values[token] = make_credit_code(self.organisation_no)
                self.organisation_no += 1
            elif kind in ("key", "name"):
                values[token] = f"{token}{self.organisation_no}"
            elif kind == "address":
                values[token] = tree_areas[areas[t.full_names[token]]].full_name
        for r in t.rows.get("notice", []):
            key = (r["prefix"], year)
            seq = self.notices.get(key, 0) + 1
            self.notices[key] = seq
            notice_seq[r["id"]] = seq
            values[r["number"]] = NOTICE_NUMBER_RE.sub(f"〔{year}〕{seq}号", r["number"])
        subst = (lambda m: values[m.group(0)]) if t.pattern is not None else None
        bsubst = (lambda m: values[m.group(0).decode()].encode()) if t.pattern is not None else None
        street_key = self.tree.street_of(anchor).is_key_area

        def own_id(m):
            new = ids.get(ID_KEYS[m.group(1)], {}).get(int(m.group(2)))
            return m.group(0) if new is None else f'"{m.group(1)}": {new}'
        out = {}
        for table, columns, rows in shape.tables:
            own = ids.get(table, {})
            lines = []
            for cells in rows:
                row, row_id = [], None
                for col, op, v in cells:
                    if op == CONST:
                        pass
                    elif op == NEW_ID:
                        row_id, v = v, own[v]
                    elif op == REF:
                        v = ids[v[0]][v[1]]
                    elif op == AREA:
                        v = areas[v]
                    elif op == PATH:
                        v = tree_areas[areas[v]].path
                    elif op == SHIFT:
                        v = v + shift
                    elif op == SHIFT_DATE:
                        v = v + date_shift
                    elif op == TEXT:
                        v = t.pattern.sub(subst, v)
                    elif op == JSON_TEXT:
                        if subst is not None:
                            v = t.pattern.sub(subst, v)
                        v = ID_KEY_RE.sub(own_id, v)
                        if not self.for_copy:
                            v = json.loads(v)
                    elif op == BLOB:
                        v = zlib.compress(t.bytes_pattern.sub(bsubst, v), 1)
                    elif op == BLOB_RAW:
                        v = t.bytes_pattern.sub(bsubst, v)
                    elif col == "sequence":
                        v = notice_seq[row_id]
                    elif col == "year":
                        v = year
                    elif col == "key_area":
                        v = street_key
                    row.append(v)
                lines.append(row)
            out[table] = lines
        return out


class Writer:
    """Collects clones' rows and writes them: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, services, columns: dict[str, list[str]]):
        self.services, self.columns = services, columns
        self.pending: dict[str, list] = {}
        self.rows = 0
        self.written: dict[str, int] = {}
        self.raw = services.db.engine.raw_connection() if services.db.is_postgres else None

    def add(self, clone: dict[str, list]) -> None:
        for table, rows in clone.items():
            self.pending.setdefault(table, []).extend(rows)
            self.rows += len(rows)
        if self.rows >= 50_000:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        ordered = [t.name for t in metadata.sorted_tables if t.name in self.pending]
        if self.raw is not None:
            cur = self.raw.driver_connection.cursor()
            for table in ordered:
                cols = self.columns[table]
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    copy.write("\n".join("\t".join(bulk.text(v) for v in row) for row in self.pending[table]) + "\n")
            self.raw.driver_connection.commit()
        else:
            with self.services.db.unit_of_work() as s:
                for table in ordered:
                    cols = self.columns[table]
                    s.execute(metadata.tables[table].insert(), [dict(zip(cols, row)) for row in self.pending[table]])
        for table, rows in self.pending.items():
            self.written[table] = self.written.get(table, 0) + len(rows)
        self.pending, self.rows = {}, 0

    def close(self, cloner: Cloner) -> None:
        self.flush()
        if self.raw is not None:
            self.raw.close()
        with self.services.db.engine.begin() as conn:
            counters = metadata.tables["reference_counter"]
            for (prefix, year), last in cloner.references.items():
                updated = conn.execute(counters.update().where(counters.c.prefix == prefix, counters.c.year == year)
                                       .values(last=last)).rowcount
                if not updated:
                    conn.execute(counters.insert().values(prefix=prefix, year=year, last=last))
            notice_counter = metadata.tables["notice_counter"]
            for (prefix, year), last in cloner.notices.items():
                updated = conn.execute(notice_counter.update().where(notice_counter.c.prefix == prefix,
                                                                     notice_counter.c.year == year)
                                       .values(last_number=last)).rowcount
                if not updated:
                    conn.execute(notice_counter.insert().values(prefix=prefix, year=year, last_number=last))
            if self.services.db.is_postgres:
                for t in int_tables():
                    conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                                         f"(SELECT coalesce(max(id), 1) FROM {t.name}))")
            else:
                conn.exec_driver_sql("ANALYZE")
        if self.services.db.is_postgres:
            with self.services.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
