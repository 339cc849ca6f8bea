"""Backup and restore: the database and the uploaded files together, in one archive with a manifest.

The archive (a .tar.gz) holds `manifest.json`, the database (`database.sqlite` made with SQLite's online
backup API, or `database.dump` from pg_dump's custom format) and `uploads/<aa>/<sha256>`. The manifest
names the schema revision, the row count of every table and the SHA-256 of every other member.

Consistent while the system runs: the database is copied as one snapshot (SQLite's backup API; pg_dump
in a snapshot exported by the transaction that also counts the rows), then the files. Uploaded files are
named by their content and never changed or deleted, and each is on disk before the row that refers to
it commits, so every file the snapshot refers to is already there when the files are copied.

Restore checks the whole archive first (every member listed and intact, a schema revision this code knows,
the same kind of database) and writes only into an empty database; it refuses anything else with the
reason, before writing anything.
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from workflows.config import ROOT
from workflows.database import migrate
from workflows.database.session import Database
from workflows.exceptions import BackupRefused

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER, PG_MEMBER = "database.sqlite", "database.dump"
UPLOADS = "uploads"
UPLOAD_NAME_RE = re.compile(r"^uploads/[0-9a-f]{2}/[0-9a-f]{64}$")


def default_upload_folder() -> Path:
    """Where the web app keeps uploaded files (DACHUAN_UPLOAD_FOLDER, else instance/uploads)."""
    return Path(os.environ.get("DACHUAN_UPLOAD_FOLDER") or ROOT / "instance" / "uploads")


def default_archive_path(now: datetime) -> Path:
    """A new archive named by its time, in DACHUAN_BACKUP_DIR (else instance/backups)."""
    folder = Path(os.environ.get("DACHUAN_BACKUP_DIR") or ROOT / "instance" / "backups")
    return folder / f"dachuan-{now:%Y%m%d-%H%M%S}.tar.gz"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _counts(conn) -> tuple[str, dict[str, int]]:
    """(schema revision, rows per table) as `conn` sees the database."""
    tables = sorted(sa.inspect(conn).get_table_names())
    if "alembic_version" not in tables:
        raise BackupRefused("数据库尚未建立（没有结构版本），无可备份。")
    revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    counts = {t: conn.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}
    return revision, counts


# ---------------------------------------------------------------------- PostgreSQL client programs
def _pg_env(url: sa.engine.URL) -> dict:
    """libpq's environment for `url` (the password never appears on a command line)."""
    env = dict(os.environ)
    for key, value in (("PGHOST", url.query.get("host") or url.host), ("PGPORT", url.port),
                       ("PGUSER", url.username), ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value:
            env[key] = str(value)
    return env


def pg_program(name: str, server_major: int) -> str:
    """pg_dump or pg_restore matching the server: Debian's /usr/lib/postgresql/<major>/bin first, then the
    newest installed one that is not older than the server, then PATH (DACHUAN_PG_BIN overrides)."""
    override = os.environ.get("DACHUAN_PG_BIN")
    candidates = [Path(override) / name] if override else []
    installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                       key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    candidates += [Path(p) for p in installed if Path(p).parent.parent.name == str(server_major)]
    candidates += [Path(p) for p in reversed(installed) if Path(p).parent.parent.name.isdigit()
                   and int(Path(p).parent.parent.name) >= server_major]
    found = shutil.which(name)
    candidates += [Path(found)] if found else []
    for path in candidates:
        if os.access(path, os.X_OK):
            return str(path)
    raise BackupRefused(f"找不到与数据库服务器（PostgreSQL {server_major}）相符的 {name}，"
                        f"请安装 postgresql-client-{server_major}。")


def _server_major(conn) -> int:
    return int(conn.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10000


def _run(args: list[str], env: dict, what: str) -> None:
    done = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupRefused(f"{what}失败：{(done.stderr or done.stdout).strip()[-800:]}")


# ---------------------------------------------------------------------- backup
def backup(db: Database, upload_folder: Path, target: Path, now: datetime) -> dict:
    """Write one archive of the database and the uploaded files to `target`; returns its manifest."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as tmp:
        work = Path(tmp)
        if db.is_postgres:
            member = PG_MEMBER
            revision, counts = _dump_postgres(db, work / member)
        else:
            member = SQLITE_MEMBER
            revision, counts = _copy_sqlite(db, work / member)
        files = {member: {"sha256": _sha256(work / member), "size": (work / member).stat().st_size}}
        uploads = sorted(p for p in Path(upload_folder).glob("??/*") if p.is_file()
                         and UPLOAD_NAME_RE.match(f"{UPLOADS}/{p.parent.name}/{p.name}"))
        for path in uploads:
            files[f"{UPLOADS}/{path.parent.name}/{path.name}"] = {"sha256": _sha256(path),
                                                                   "size": path.stat().st_size}
        manifest = {"format": FORMAT, "application": "dachuan", "created_at": now.isoformat(),
                    "database": "postgresql" if db.is_postgres else "sqlite", "schema_revision": revision,
                    "tables": counts, "files": files}
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = work / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / MANIFEST, MANIFEST)
            tar.add(work / member, member)
            for path in uploads:
                tar.add(path, f"{UPLOADS}/{path.parent.name}/{path.name}")
        os.replace(partial, target)  # a reader never sees half an archive
    return manifest


def _copy_sqlite(db: Database, out: Path) -> tuple[str, dict]:
    """SQLite's online backup: a consistent copy while other connections keep reading and writing."""
    raw = db.engine.raw_connection()
    try:
        dest = sqlite3.connect(out)
        try:
            raw.driver_connection.backup(dest)
        finally:
            dest.close()
    finally:
        raw.close()
    copy = sa.create_engine(f"sqlite:///{out}")
    try:
        with copy.connect() as conn:
            return _counts(conn)
    finally:
        copy.dispose()


def _dump_postgres(db: Database, out: Path) -> tuple[str, dict]:
    """pg_dump inside a snapshot exported by the transaction that counts the rows: both see the same data."""
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            revision, counts = _counts(conn)
            program = pg_program("pg_dump", _server_major(conn))
            _run([program, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  f"--file={out}"], _pg_env(db.engine.url), "导出数据库（pg_dump）")
    return revision, counts


# ---------------------------------------------------------------------- restore
def read_archive(archive: Path, into: Path) -> dict:
    """Unpack and check an archive: every member listed in the manifest, intact, and nothing else."""
    try:
        tar = tarfile.open(archive, "r:gz")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupRefused(f"{archive} 不是可读的备份文件（{exc}）。") from exc
    with tar:
        try:
            members = tar.getmembers()
            names = {m.name for m in members}
            if MANIFEST not in names:
                raise BackupRefused("备份文件中没有清单（manifest.json），不是本系统的备份。")
            manifest = json.loads(tar.extractfile(MANIFEST).read().decode("utf-8"))
            if manifest.get("application") != "dachuan" or manifest.get("format") != FORMAT:
                raise BackupRefused("备份文件的格式不是本系统可以恢复的格式。")
            listed = set(manifest.get("files", {}))
            unexpected = names - listed - {MANIFEST}
            if unexpected:
                raise BackupRefused(f"备份文件含有清单之外的内容（{sorted(unexpected)[0]}），已拒绝恢复。")
            for m in members:
                if m.name != MANIFEST and (not m.isfile() or not _safe_member(m.name)):
                    raise BackupRefused(f"备份文件中的 {m.name} 不是普通文件或路径不安全，已拒绝恢复。")
            tar.extractall(into, members=[m for m in members if m.name != MANIFEST], filter="data")
        except (tarfile.TarError, OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError, zlib.error) as exc:
            raise BackupRefused(f"备份文件已损坏，无法读取（{exc}）。") from exc
    for name, expected in manifest["files"].items():
        path = into / name
        if not path.is_file():
            raise BackupRefused(f"备份文件缺少 {name}，已损坏或不完整。")
        if path.stat().st_size != expected["size"] or _sha256(path) != expected["sha256"]:
            raise BackupRefused(f"备份文件中的 {name} 校验值不符，文件已损坏，已拒绝恢复。")
    return manifest


def _safe_member(name: str) -> bool:
    return name in (SQLITE_MEMBER, PG_MEMBER) or bool(UPLOAD_NAME_RE.match(name))


def known_revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [r.revision for r in script.walk_revisions()]


def restore(archive: Path, db: Database, upload_folder: Path) -> dict:
    """Restore an archive into the empty database `db` and `upload_folder`; returns the manifest."""
    with tempfile.TemporaryDirectory(prefix="dachuan-restore-") as tmp:
        work = Path(tmp)
        manifest = read_archive(Path(archive), work)
        kind = "postgresql" if db.is_postgres else "sqlite"
        if manifest["database"] != kind:
            raise BackupRefused(f"这是 {manifest['database']} 数据库的备份，不能恢复到 {kind} 数据库。")
        if manifest["schema_revision"] not in known_revisions():
            raise BackupRefused(f"备份的数据库结构版本（{manifest['schema_revision']}）不是本系统的版本，"
                                "请用制作该备份的系统版本恢复。")
        with db.engine.connect() as conn:
            if sa.inspect(conn).get_table_names():
                raise BackupRefused("目标数据库不是空的：恢复只写入新建的空数据库，以免覆盖现有数据。")
        if db.is_postgres:
            with db.engine.connect() as conn:
                program = pg_program("pg_restore", _server_major(conn))
            db.dispose()
            _run([program, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                  f"--dbname={db.engine.url.database}", str(work / PG_MEMBER)],
                 _pg_env(db.engine.url), "导入数据库（pg_restore）")
        else:
            _restore_sqlite(work / SQLITE_MEMBER, db)
        with db.engine.connect() as conn:
            revision, counts = _counts(conn)
        if counts != manifest["tables"]:
            wrong = sorted(t for t in set(counts) | set(manifest["tables"])
                           if counts.get(t) != manifest["tables"].get(t))
            raise BackupRefused(f"恢复后的数据与备份清单不符（{', '.join(wrong[:5])}），请检查数据库。")
        target = Path(upload_folder)
        for name in manifest["files"]:
            if name.startswith(UPLOADS + "/"):
                dest = target / name[len(UPLOADS) + 1:]
                dest.parent.mkdir(parents=True, exist_ok=True)
                if not dest.exists():
                    shutil.copyfile(work / name, dest)
    # An archive of an earlier version of this code comes up to the current schema like any database.
    migrate.upgrade(db)
    return manifest


def _restore_sqlite(source: Path, db: Database) -> None:
    db.dispose()
    src = sqlite3.connect(source)
    try:
        raw = db.engine.raw_connection()
        try:
            src.backup(raw.driver_connection)
        finally:
            raw.close()
    finally:
        src.close()
    db.dispose()
