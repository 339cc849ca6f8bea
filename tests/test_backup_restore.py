"""Backup and restore: a running system with cases, notices and uploaded files, backed up while officers keep
working, restored into an empty database and upload folder, holds everything the backup's manifest counted;
damaged, foreign or mismatching archives are refused before anything is written."""
from __future__ import annotations

import hashlib
import io
import json
import tarfile
import threading

import pytest
import sqlalchemy as sa

from engine_helpers import CaseDriver
from notice_helpers import SAMPLES, notices
from workflows import runtime
from workflows.clock import MovableClock
from workflows.database.session import Database
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import BackupRefused
from workflows.notices.models import Notice
from workflows.operations import backup

PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def _store(folder, content: bytes) -> str:
    sha = hashlib.sha256(content).hexdigest()
    (folder / sha[:2]).mkdir(parents=True, exist_ok=True)
    (folder / sha[:2] / sha).write_bytes(content)
    return sha


@pytest.fixture
def empty_url(db_url, request, tmp_path):
    """An empty database of the same kind as this test's demo database."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored.sqlite'}"
    return request.getfixturevalue("empty_pg_url")


def _running_system(services, lookup, uploads):
    cases = CaseDriver(services, lookup)
    case_id = cases.start("花园小区窝点")
    cases.do(case_id, "sweep", {"suspicious": True, "house_type": "rental"})
    notice = notices(services).issue("complaint_reply", SAMPLES["complaint_reply"], lookup.user("wjs_market1"))
    photos = [_store(uploads, PHOTO), _store(uploads, "现场照片".encode() * 100)]
    return cases, case_id, notice.number, photos


def test_backup_of_a_running_system_restores_into_an_empty_one(services, lookup, empty_url, tmp_path, clock):
    uploads, restored_uploads = tmp_path / "uploads", tmp_path / "restored-uploads"
    cases, case_id, notice_number, photos = _running_system(services, lookup, uploads)
    archive = tmp_path / "backup.tar.gz"

    # Officers keep starting cases while the backup runs: the archive is one consistent snapshot anyway.
    stop, started = threading.Event(), []

    def keep_working():
        while not stop.is_set():
            started.append(cases.start("备份期间登记"))
    worker = threading.Thread(target=keep_working)
    worker.start()
    try:
        manifest = backup.backup(services.db, uploads, archive, clock.now())
    finally:
        stop.set()
        worker.join()
    assert manifest["database"] == ("postgresql" if services.db.is_postgres else "sqlite")
    assert manifest["schema_revision"] == backup.known_revisions()[0]
    assert {f"uploads/{p[:2]}/{p}" for p in photos} <= set(manifest["files"])
    in_backup = manifest["tables"]["process_instance"]
    assert in_backup >= 1 and manifest["tables"]["notice"] == 1

    target = Database(empty_url)
    try:
        backup.restore(archive, target, restored_uploads)
    finally:
        target.dispose()
    restored = runtime.build(empty_url, clock=MovableClock(clock.now()))
    try:
        with restored.db.read() as s:
            assert s.scalar(sa.select(sa.func.count()).select_from(ProcessInstance)) == in_backup
            case = s.get(ProcessInstance, case_id)
            assert case.title == "花园小区窝点"
            assert s.scalar(sa.select(Notice.number)) == notice_number
            open_tasks = dict(s.execute(sa.select(HumanTask.task_name, HumanTask.id).where(
                HumanTask.instance_id == case_id, HumanTask.state == "ready")).all())
        for sha in photos:
            assert hashlib.sha256((restored_uploads / sha[:2] / sha).read_bytes()).hexdigest() == sha
        # The restored system works on: the case's next step can be done.
        assert list(open_tasks) == ["entry"]
        restored.workflow.complete(open_tasks["entry"], {"door_opened": False}, lookup.user("wjs_police1"))
    finally:
        restored.db.dispose()


def test_restore_refuses_a_damaged_archive_a_foreign_one_and_a_database_that_is_not_empty(
        services, lookup, empty_url, db_url, tmp_path, clock):
    uploads = tmp_path / "uploads"
    _store(uploads, PHOTO)
    archive = tmp_path / "backup.tar.gz"
    backup.backup(services.db, uploads, archive, clock.now())
    target = Database(empty_url)
    try:
        # Into the running system's own database (not empty): refused, nothing written.
        with pytest.raises(BackupRefused, match="不是空的"):
            backup.restore(archive, services.db, tmp_path / "x")

        damaged = tmp_path / "damaged.tar.gz"
        data = bytearray(archive.read_bytes())
        data[len(data) // 2] ^= 0xFF
        damaged.write_bytes(bytes(data))
        with pytest.raises(BackupRefused, match="损坏|不是可读"):
            backup.restore(damaged, target, tmp_path / "x")

        # A file changed inside an otherwise readable archive: its checksum gives it away.
        tampered = tmp_path / "tampered.tar.gz"
        _rewrite(archive, tampered, lambda name, content: content + b"x" if name.startswith("uploads/") else content)
        with pytest.raises(BackupRefused, match="校验值不符"):
            backup.restore(tampered, target, tmp_path / "x")

        other_schema = tmp_path / "other.tar.gz"
        _rewrite(archive, other_schema, lambda name, content: content.replace(
            json.dumps(backup.known_revisions()[0]).encode(), b'"9999_future"') if name == "manifest.json"
            else content)
        with pytest.raises(BackupRefused, match="结构版本"):
            backup.restore(other_schema, target, tmp_path / "x")
        other_database = tmp_path / "other-database.tar.gz"
        _rewrite(archive, other_database, lambda name, content: _other_database(content)
                 if name == "manifest.json" else content)
        with pytest.raises(BackupRefused, match="不能恢复到"):
            backup.restore(other_database, target, tmp_path / "x")
        with target.engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == []
        assert not (tmp_path / "x").exists()
    finally:
        target.dispose()


def _other_database(manifest: bytes) -> bytes:
    """The manifest saying the archive came from the other kind of database."""
    data = json.loads(manifest)
    data["database"] = {"sqlite": "postgresql", "postgresql": "sqlite"}[data["database"]]
    return json.dumps(data).encode()


def _rewrite(source, dest, change):
    with tarfile.open(source, "r:gz") as src, tarfile.open(dest, "w:gz") as out:
        for member in src.getmembers():
            content = change(member.name, src.extractfile(member).read())
            member.size = len(content)
            out.addfile(member, io.BytesIO(content))


def test_the_backup_and_restore_commands(sqlite_demo_copy, tmp_path):
    from click.testing import CliRunner

    from webapp.cli import main
    uploads = tmp_path / "uploads"
    sha = _store(uploads, PHOTO)
    archive = tmp_path / "nightly.tar.gz"
    runner = CliRunner()
    made = runner.invoke(main, ["--database-url", sqlite_demo_copy, "backup", "-o", str(archive),
                                "--uploads", str(uploads)])
    assert made.exit_code == 0 and "备份完成" in made.output and "上传文件 1 个" in made.output
    empty = f"sqlite:///{tmp_path / 'new.sqlite'}"
    restored = runner.invoke(main, ["--database-url", empty, "restore", str(archive), "--uploads",
                                    str(tmp_path / "new-uploads")])
    assert restored.exit_code == 0 and "恢复完成" in restored.output
    assert (tmp_path / "new-uploads" / sha[:2] / sha).read_bytes() == PHOTO
    again = runner.invoke(main, ["--database-url", empty, "restore", str(archive)])
    assert again.exit_code == 1 and "不是空的" in again.output
