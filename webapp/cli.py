"""The `dachuan` command: migrate, load demo data, run the worker, start and complete tasks."""
from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
from pathlib import Path

import click
import sqlalchemy as sa

from workflows import runtime
from workflows.engine.bpmn_check import check_paths
from workflows.exceptions import WorkflowError
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

    # Our own log lines from INFO up; the libraries' (WeasyPrint narrates every page at INFO) from WARNING.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("dachuan").setLevel(logging.INFO)
    # Stopped by a service manager or by `dachuan run` (SIGTERM): unwind, so a running job is handed back
    # at once instead of waiting for its lease to run out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    def report(counts: dict) -> None:
        if any(counts.values()):
            click.echo(f"触发定时器 {counts['timers']} 个，逾期上报 {counts['overdue']} 件，"
                       f"完成后台任务 {counts['jobs']} 个", err=True)

    run_worker(_services(ctx), jobs.handlers(), interval=interval, once=once, report=report)


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
    args = [sys.executable, "-m", "webapp.cli"]
    if ctx.obj.get("database_url"):
        args += ["--database-url", ctx.obj["database_url"]]
    worker_proc = subprocess.Popen(args + ["worker"])
    # Stopped by a service manager (SIGTERM) as well as by Ctrl-C: unwind so the worker stops too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    click.echo(f"\n打传案件办理系统已启动：http://{host}:{port}/")
    click.echo(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, display, roles, *_ in DEMO_USERS:
        click.echo(f"  {username:<12} {display}（{roles}）")
    click.echo("按 Ctrl-C 停止。\n")
    try:
        serve(create_app({"DATABASE_URL": services.settings.database_url}), host=host, port=port, threads=8)
    finally:
        worker_proc.terminate()
        worker_proc.wait(timeout=10)


if __name__ == "__main__":
    main()
