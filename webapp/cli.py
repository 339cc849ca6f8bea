"""The `dachuan` command: migrate, load demo data, run the worker, start and complete tasks."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

import click
import sqlalchemy as sa

from workflows import runtime
from workflows.engine.bpmn_check import check_paths
from workflows.exceptions import WorkflowError
from workflows.operations import logs
from workflows.org.accounts import by_username, lift_login_delays


def _services(ctx) -> runtime.Services:
    return runtime.build(ctx.obj.get("database_url"))


def _user_id(services, username: str) -> int:
    with services.db.read() as s:
        user = by_username(s, username)
        if user is None:
            raise click.ClickException(f"没有用户 {username}")
        return user.id


def _json(text: str) -> dict:
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"--data 不是合法的 JSON：{exc}")
    if not isinstance(value, dict):
        raise click.ClickException("--data 应为 JSON 对象，例如 '{\"suspicious\": true}'")
    return value


@click.group()
@click.option("--database-url", envvar="DATABASE_URL", default=None, help="默认：instance/ 下的 SQLite 文件")
@click.pass_context
def main(ctx, database_url):
    """dachuan（打传）案件办理系统的命令行。"""
    ctx.ensure_object(dict)
    ctx.obj["database_url"] = database_url


@main.command()
@click.pass_context
def migrate(ctx):
    """Create or upgrade the database schema and deploy changed diagrams."""
    result = runtime.prepare(_services(ctx))
    click.echo(f"数据库已是最新结构；新部署的流程版本：{', '.join(result['deployed']) or '无'}")


@main.command()
@click.argument("username")
@click.pass_context
def unlock(ctx, username):
    """Lift the login waits on an account (for an administrator kept out by an attack)."""
    services = _services(ctx)
    _user_id(services, username)
    lifted = lift_login_delays(services, username)
    click.echo(f"已解除 {username} 的登录限制（{lifted} 项）。")


@main.command("load-demo")
@click.pass_context
def load_demo(ctx):
    """Load the demo district, address tree and users (once; a second run keeps the data)."""
    result = runtime.prepare(_services(ctx), with_demo=True)
    click.echo("演示数据已载入。" if result["demo_loaded"] else "演示数据已存在，未做改动。")


@main.command()
@click.option("--interval", default=5.0, help="无事可做时两次检查之间的秒数")
@click.option("--once", is_flag=True, help="只做一轮：触发到期定时器，并把排队的后台任务做完")
@click.pass_context
def worker(ctx, interval, once):
    """Fire due timers, raise matters for overdue steps and run background jobs (imports, batch prints),
    forever (or --once)."""
    from webapp import jobs
    from workflows.jobs.worker import run_worker

    # JSON lines: our own from INFO up, the libraries' (WeasyPrint narrates every page at INFO) from WARNING.
    logs.configure()
    # Stopped by a service manager or by `dachuan run` (SIGTERM): unwind, so a running job is handed back
    # at once instead of waiting for its lease to run out; the flag ends the loop should the exit be swallowed.
    stopping = threading.Event()

    def stop(*_):
        stopping.set()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)

    def report(counts: dict) -> None:
        if any(counts.values()):
            click.echo(f"触发定时器 {counts['timers']} 个，逾期上报 {counts['overdue']} 件，"
                       f"完成后台任务 {counts['jobs']} 个", err=True)

    services = _services(ctx)
    runtime.settle_heap()
    run_worker(services, jobs.handlers(), interval=interval, once=once, report=report,
               stopping=stopping.is_set)


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="备份文件路径；默认 DACHUAN_BACKUP_DIR（或 instance/backups）下的 dachuan-<时间>.tar.gz")
@click.option("--uploads", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="上传文件目录；默认 DACHUAN_UPLOAD_FOLDER 或 instance/uploads")
@click.pass_context
def backup(ctx, output, uploads):
    """Back up the database and the uploaded files into one archive, while the system runs."""
    from workflows.operations import backup as operations

    services = _services(ctx)
    target = output or operations.default_archive_path(services.workflow.now())
    try:
        manifest = operations.backup(services.db, uploads or operations.default_upload_folder(), target,
                                     services.workflow.now())
    except WorkflowError as exc:
        raise click.ClickException(exc.message)
    except sa.exc.SQLAlchemyError as exc:
        raise click.ClickException(f"无法读取数据库：{exc.__class__.__name__}: {str(exc).splitlines()[0]}")
    rows = sum(manifest["tables"].values())
    click.echo(f"备份完成：{target}（结构版本 {manifest['schema_revision']}，{len(manifest['tables'])} 张表 "
               f"{rows} 行，上传文件 {len(manifest['files']) - 1} 个）")


@main.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--uploads", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="上传文件目录；默认 DACHUAN_UPLOAD_FOLDER 或 instance/uploads")
@click.pass_context
def restore(ctx, archive, uploads):
    """Restore an archive into an empty database (--database-url / DATABASE_URL) and the upload folder."""
    from workflows.operations import backup as operations

    services = _services(ctx)
    try:
        manifest = operations.restore(archive, services.db, uploads or operations.default_upload_folder())
    except WorkflowError as exc:
        raise click.ClickException(exc.message)
    except sa.exc.SQLAlchemyError as exc:
        raise click.ClickException(f"无法连接或写入目标数据库：{exc.__class__.__name__}: {str(exc).splitlines()[0]}")
    click.echo(f"恢复完成：{manifest['created_at']} 的备份，{sum(manifest['tables'].values())} 行数据，"
               f"上传文件 {len(manifest['files']) - 1} 个；数据库已升级到本系统的结构版本。")


@main.command("check-bpmn")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.pass_context
def check_bpmn(ctx, paths):
    """Check diagrams: BPMN 2.0 schema, diagram shapes, lanes, and that the engine parses them."""
    targets = list(paths) or [runtime.Settings.load().bpmn_dir]
    files, processes, problems = check_paths(targets)
    for line in problems:
        click.echo(line)
    click.echo(f"{files} files, {processes} executable processes, {len(problems)} problems")
    sys.exit(1 if problems or not files else 0)


@main.command()
@click.argument("process_id")
@click.option("--data", default="{}", help="JSON 对象")
@click.option("--user", "username", required=True)
@click.option("--area", "area_name", default=None, help="地址全称，如 吴家山街第一社区花园小区1栋1单元101室")
@click.option("--title", default="")
@click.pass_context
def start(ctx, process_id, data, username, area_name, title):
    """Start a process."""
    from workflows.org.models import Area
    services = _services(ctx)
    area_id = None
    if area_name:
        with services.db.read() as s:
            area_id = s.scalar(sa.select(Area.id).where(Area.full_name == area_name))
        if area_id is None:
            raise click.ClickException(f"找不到地址 {area_name}")
    try:
        result = services.workflow.start(process_id, _json(data), _user_id(services, username), area_id, title)
    except WorkflowError as exc:
        raise click.ClickException(exc.message)
    click.echo(json.dumps(result.__dict__, ensure_ascii=False))


@main.command()
@click.option("--user", "username", required=True)
@click.pass_context
def tasks(ctx, username):
    """List a user's ready tasks (theirs and their roles' in their area)."""
    services = _services(ctx)
    for t in services.workflow.ready_tasks_for(_user_id(services, username)):
        due = t.due_at.strftime("%Y-%m-%d %H:%M") if t.due_at else "-"
        click.echo(f"{t.id}\t{t.process_id}\t{t.task_name}\t{t.title}\t截止 {due}")


@main.command()
@click.argument("task_id")
@click.option("--data", default="{}", help="JSON 对象")
@click.option("--user", "username", required=True)
@click.pass_context
def complete(ctx, task_id, data, username):
    """Complete a task with JSON data."""
    services = _services(ctx)
    try:
        result = services.workflow.complete(task_id, _json(data), _user_id(services, username))
    except WorkflowError as exc:
        detail = getattr(exc, "errors", None)
        raise click.ClickException(exc.message + (f" {json.dumps(detail, ensure_ascii=False)}" if detail else ""))
    click.echo(json.dumps(result.__dict__, ensure_ascii=False))


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000)
@click.pass_context
def run(ctx, host, port):
    """Migrate, load the demo once, then serve the web app with one worker (timers and background jobs)
    beside it."""
    from waitress import serve

    from webapp import create_app
    from workflows.org.demo import DEMO_PASSWORD, DEMO_USERS

    services = _services(ctx)
    runtime.prepare(services, with_demo=True)
    logs.configure()
    args = [sys.executable, "-m", "webapp.cli"]
    if ctx.obj.get("database_url"):
        args += ["--database-url", ctx.obj["database_url"]]
    worker_proc = subprocess.Popen(args + ["worker"])
    # Stopped by a service manager (SIGTERM) as well as by Ctrl-C: unwind so the worker stops too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    click.echo(f"\n打传案件办理系统已启动：http://{host}:{port}/")
    click.echo(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for line in demo_account_lines(DEMO_USERS):
        click.echo(line)
    click.echo("按 Ctrl-C 停止。\n")
    try:
        app = create_app({"DATABASE_URL": services.settings.database_url})
        runtime.settle_heap()
        serve(app, host=host, port=port, threads=8)
    finally:
        worker_proc.terminate()
        try:
            worker_proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            # A job it held is leased: another worker (or the next run) takes it up again.
            worker_proc.kill()
            worker_proc.wait()


def demo_account_lines(users) -> list[str]:
    """One line per demo account, its roles by their Chinese names (网格员、民警…), as officers know them."""
    from workflows.org.roles import ROLE_NAMES
    return [f"  {username:<12} {display}（{'、'.join(ROLE_NAMES.get(r, r) for r in roles.split())}）"
            for username, display, roles, *_ in users]


@main.command()
@click.option("--area", "area_name", required=True, help="考评的街道（或区域）名称")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="考评期间开始 YYYY-MM-DD")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="考评期间结束 YYYY-MM-DD（含）")
@click.option("--seed", default=0, show_default=True, help="抽查的抽签种子（同一种子抽出相同记录）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_context
def assess(ctx, area_name, start, end, seed, as_json):
    """Compute the Annex 3 score sheet of an area for a period and print each row and the total (nothing is
    stored: a run to publish is made on the assessment page or by the worker)."""
    from workflows.assessment import report
    from workflows.assessment.settings import AssessmentSettings
    from workflows.clock import office_date

    services = _services(ctx)
    try:
        with services.db.read() as s:
            area = report.find_area(s, area_name)
            result = report.sheet(s, area, start.date(), end.date(), AssessmentSettings.from_settings(
                services.settings), seed, office_date(services.workflow.now()))
    except WorkflowError as exc:
        detail = "；".join(m for msgs in getattr(exc, "errors", {}).values() for m in msgs)
        raise click.ClickException(detail or exc.message)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(report.text_lines(result)))


@main.command("stats-refresh")
@click.pass_context
def stats_refresh(ctx):
    """Compute the statistics page's stored figures now: this year's of the district and every street, and every
    period stored before (the worker otherwise refreshes them every half hour)."""
    from workflows.jobs.worker import JobWorker
    from workflows.statistics import snapshots

    from .statistics import compute

    services = _services(ctx)
    with services.db.unit_of_work() as s:
        queued = snapshots.queue_everything(s, services.workflow.now())
    ran = JobWorker(services, {snapshots.JOB_KIND: compute.HANDLER}).run_until_idle()
    click.echo(f"已更新统计数据：{queued} 个区域和期间（{ran} 个后台任务）。")


if __name__ == "__main__":
    main()
