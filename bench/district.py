"""A district's records at scale, multiplied from stories run through the engine.

A story (a case, a complaint, a house registration, a sweep, ...) is run once through the real services; every
row it wrote, in every table, is captured as a template. A clone of a template is the same rows with fresh ids
(foreign keys between the story's own rows follow them), its own place in the address tree (the story's area and
everything above or below it moved to the clone's), times shifted to the clone's date, and its own ID numbers,
names, case references, task ids and document numbers wherever they appear (columns, JSON, the workflow state).
Clones are written in bulk: COPY on PostgreSQL, executemany on SQLite.
"""
from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa

import bulk  # bench/bulk.py, beside this file
from workflows.database.metadata import metadata
from workflows.org.models import Area

# Tables whose rows are never copied from a story: the address tree, users and counters are the district's own.
NOT_CLONED = {"area", "department", "user_account", "five_contract_assignment", "process_version",
              "reference_counter", "notice_counter", "login_throttle", "worker_heartbeat", "job"}


def int_tables() -> list[sa.Table]:
    return [t for t in metadata.sorted_tables if t.name not in NOT_CLONED and t.name != "human_task"
            and [c.name for c in t.primary_key] == ["id"]]


def marks(session) -> dict[str, int]:
    """The highest id of every table a story may write to (what a story adds lies above)."""
    return {t.name: session.execute(sa.select(sa.func.max(t.c.id))).scalar() or 0 for t in int_tables()}


# ------------------------------------------------------------------ the address tree at district scale
def grow_streets(services, rooms_per_street: int) -> int:
    """Give every street of the demo district more communities, compounds, buildings and rooms, as a real
    district's address library (一标三实) holds: about `rooms_per_street` rooms per street. Returns rooms added."""
    rooms_per_compound = 288  # 6 buildings x 2 units x 24 rooms (8 floors, 3 a floor)
    compounds = max(1, round(rooms_per_street / rooms_per_compound))
    with services.db.read() as s:
        streets = s.scalars(sa.select(Area).where(Area.kind == "street").order_by(Area.id)).all()
        next_id = s.scalar(sa.select(sa.func.max(Area.id))) + 1
        streets = [(a.id, a.path, a.full_name) for a in streets]
    rows = []

    def add(parent_path, parent_id, parent_full, kind, name, suffix=""):
        nonlocal next_id
        row = {"id": next_id, "parent_id": parent_id, "kind": kind, "name": name, "path": f"{parent_path}{next_id}/",
               "full_name": f"{parent_full}{name}{suffix}", "is_key_area": False}
        next_id += 1
        rows.append(row)
        return row

    added = 0
    for street_id, path, full in streets:
        community = None
        for k in range(compounds):
            if k % 4 == 0:  # four compounds to a community
                community = add(path, street_id, full, "community", f"第{k // 4 + 11}社区")
            compound = add(community["path"], community["id"], community["full_name"], "compound", f"{k % 4 + 1}号苑")
            for b in range(1, 7):
                building = add(compound["path"], compound["id"], compound["full_name"], "building", f"{b}栋")
                for u in (1, 2):
                    unit = add(building["path"], building["id"], building["full_name"], "unit", f"{u}单元")
                    for floor in range(1, 9):
                        for r in range(1, 4):
                            add(unit["path"], unit["id"], unit["full_name"], "room", f"{floor}0{r}室")
                            added += 1
    bulk.insert_areas(services, rows)
    return added


class Tree:
    """The address tree in memory: each area's chain up and its children in order."""

    def __init__(self, session):
        self.areas = {a.id: a for a in session.scalars(sa.select(Area))}
        self.children: dict[int, list[int]] = {}
        for a in sorted(self.areas.values(), key=lambda a: a.id):
            if a.parent_id is not None:
                self.children.setdefault(a.parent_id, []).append(a.id)
        self.by_path = {a.path: a.id for a in self.areas.values()}

    def chain(self, area_id: int) -> list[int]:
        return [int(i) for i in self.areas[area_id].path.strip("/").split("/")]

    def of_kind(self, kind: str) -> list[int]:
        return sorted(a.id for a in self.areas.values() if a.kind == kind)

    def street_of(self, area_id: int) -> Area:
        return next(self.areas[i] for i in self.chain(area_id) if self.areas[i].kind == "street")


# ------------------------------------------------------------------ templates
class Template:
    """One story's rows in every table, and how each cell changes from clone to clone."""

    def __init__(self, name: str, rows: dict[str, list[dict]], anchor: int, started: datetime, tree: Tree):
        self.name, self.rows, self.anchor, self.started = name, rows, anchor, started
        self.ids = {t: [r["id"] for r in rs] for t, rs in rows.items() if t != "human_task"}
        self.id_sets = {t: set(ids) for t, ids in self.ids.items()}
        self.count = {t: len(rs) for t, rs in rows.items()}
        self._relations(tree)
        self._tokens()
        self.columns = {t: list(rs[0]) for t, rs in rows.items() if rs}

    def _relations(self, tree: Tree) -> None:
        """Each area the story touched, as where it lies from the anchor: up n levels, or down by child indexes."""
        chain = tree.chain(self.anchor)
        used = set()
        for table, rs in self.rows.items():
            for col in metadata.tables[table].columns:
                if any(f.column.table.name == "area" for f in col.foreign_keys):
                    used.update(r[col.name] for r in rs if r[col.name] is not None)
                if col.name in ("area_path", "path"):
                    used.update(tree.by_path[r[col.name]] for r in rs if r[col.name] in tree.by_path)
        self.relation = {}
        for area_id in used:
            own = tree.chain(area_id)
            if area_id in chain:
                self.relation[area_id] = ("up", len(chain) - 1 - chain.index(area_id))
            elif self.anchor in own:
                below = own[own.index(self.anchor) + 1:]
                steps, parent = [], self.anchor
                for child in below:
                    steps.append(tree.children[parent].index(child))
                    parent = child
                self.relation[area_id] = ("down", steps)
            # anything else (the district, a user's street) stays where it is
        self.full_names = {tree.areas[a].full_name: a for a in self.relation}
        self.paths = {tree.areas[a].path: a for a in self.relation}

    def _tokens(self) -> None:
        """The strings a clone has its own of: task ids, ID numbers, names, references, document numbers,
        addresses."""
        tokens: dict[str, str] = {}
        for r in self.rows.get("human_task", []):
            tokens[r["id"]] = "task"
        for r in self.rows.get("process_instance", []):
            tokens[r["reference"]] = "reference"
        for r in self.rows.get("notice", []):
            tokens[r["number"]] = "notice"
        for table, col in (("case_person", "id_number"), ("blacklist_entry", "id_number"),
                           ("penalty_case", "party_id_number"), ("rental_house", "owner_id_number")):
            for r in self.rows.get(table, []):
                if r[col]:
                    tokens[r[col]] = "id_number"
        for r in self.rows.get("case_person", []) + self.rows.get("blacklist_entry", []):
            tokens.setdefault(r["name"], "name")
        for table, col in (("intermediary", "credit_code"), ("complaint_subject", "key"),
                           ("complaint_subject", "name")):
            for r in self.rows.get(table, []):
                tokens[r[col]] = col
        for name in self.full_names:
            tokens[name] = "address"
        self.tokens = tokens
        ordered = sorted(tokens, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(t) for t in ordered)) if ordered else None
        self.bytes_pattern = re.compile("|".join(re.escape(t) for t in ordered).encode()) if ordered else None


def capture(services, name: str, before: dict[str, int], anchor: int, started: datetime, tree: Tree) -> Template:
    """Every row a story wrote (ids above `before`), as a template anchored at the area `anchor`."""
    rows = {}
    with services.db.read() as s:
        for t in int_tables():
            found = [dict(r._mapping) for r in s.execute(sa.select(t).where(t.c.id > before[t.name])
                                                           .order_by(t.c.id))]
            if found:
                rows[t.name] = found
        instances = [r["id"] for r in rows.get("process_instance", [])]
        # What the story's actions did to records of earlier stories (a patrol timer of an earlier house firing in
        # the same run) belongs to those, not to this template.
        older = before["process_instance"]
        for name, found in list(rows.items()):
            refs = [c.name for c in metadata.tables[name].columns
                    if any(f.column.table.name == "process_instance" for f in c.foreign_keys)]
            if name != "process_instance" and refs:
                rows[name] = [r for r in found if not any(r[c] is not None and r[c] <= older for c in refs)]
        if instances:
            task = metadata.tables["human_task"]
            rows["human_task"] = [dict(r._mapping) for r in s.execute(
                sa.select(task).where(task.c.instance_id.in_(instances)))]
    return Template(name, rows, anchor, started.replace(tzinfo=None), tree)
