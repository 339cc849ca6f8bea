"""Assessment runs: a numbered draft with every Annex 3 row, manual entries with evidence, overrides with a reason,
publishing freezes a run, a re-run is the next version, ranking, access, the worker job and the CLI."""
import json
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from assessment_helpers import OTHER_STREET, STREET, add_assessor, run, sheet
from webapp import jobs as web_jobs
from webapp.cli import main
from workflows.assessment import service as assessment
from workflows.assessment.jobs import assess_all
from workflows.assessment.models import AssessmentEvidence, AssessmentRun
from workflows.assessment.rules import RULES
from workflows.audit.models import AuditEvent
from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed
from workflows.jobs.models import Job
from workflows.sweeps import service as sweeps
from workflows.vocabulary import AssessmentStatus, JobStatus


def test_a_run_holds_every_annex_row_and_a_numbered_draft(services, lookup, clock):
    run_id = run(services, lookup, clock, seed=7)
    with services.db.read() as s:
        rows = assessment.rows(s, run_id)
        made = assessment.get_run(s, run_id)
        assert [r["rule"].id for r in rows] == [rule.id for rule in RULES]
        assert (made.status, made.version, made.seed) == (AssessmentStatus.DRAFT, 1, 7)
        assert made.number == "东西湖区打传考评〔2026〕第1号"
        assert made.settings_snapshot["repeat_threshold"] == 2
        # The demo street has no sweeps in 2026: 11 months begun by 23 November x 2 points, capped at the row's 10.
        row = {r["rule"].id: r["row"] for r in rows}["3.1.1"]
        assert (row.computed_deduction, row.deduction, row.score) == (Decimal(22), Decimal(10), Decimal(0))
        assert made.total == Decimal(100) - sum(r["row"].deduction for r in rows)
        kinds = list(s.scalars(sa.select(AuditEvent.kind).where(AuditEvent.kind.like("assessment%"))))
    assert kinds == ["assessment_run"]


def test_a_second_level_never_loses_more_than_its_points(services, lookup, clock):
    run_id = run(services, lookup, clock)
    with services.db.unit_of_work() as s:
        assessment.override(s, run_id, "3.1.3", deduction="4", reason="抽查发现 4 人未登记", actor_id=lookup.user(
            "dubanban"), now=clock.now())
    rows = sheet(services, run_id)
    # 3.1.1 already lost the second level's 10 points: 3.1.3's override of 4 is shown, but costs nothing more.
    assert rows["3.1.3"].override_deduction == Decimal(4) and rows["3.1.3"].deduction == Decimal(0)
    assert rows["3.1.1"].deduction + rows["3.1.2"].deduction + rows["3.1.3"].deduction == Decimal(10)


def test_manual_entry_with_evidence_is_audited_and_validated(services, lookup, clock):
    run_id = run(services, lookup, clock)
    assessor = add_assessor(services)
    with services.db.unit_of_work() as s:
        assessment.enter_manual(s, run_id, "1.2.2", deduction="0.5", note="未见《处置传销突发事件应急预案》",
                                evidence={"sha256": "ab" * 32, "name": "检查记录.jpg", "content_type": "image/jpeg",
                                          "size": 10}, actor_id=assessor,
                                now=clock.now())
    with services.db.read() as s:
        [entry] = [r for r in assessment.rows(s, run_id) if r["rule"].id == "1.2.2"]
        made = s.get(AssessmentRun, run_id)
        event = s.scalar(sa.select(AuditEvent).where(AuditEvent.kind == "assessment_manual_entry"))
    assert entry["row"].manual_deduction == Decimal("0.5") and entry["row"].deduction == Decimal("0.5")
    assert [(e.kind, e.file_meta, e.entered_by_id) for e in entry["evidence"]] == [
        ("manual", {"sha256": "ab" * 32, "name": "检查记录.jpg", "content_type": "image/jpeg"}, assessor)]
    assert assessment.settings_of(made)[0]["name"] == "repeat_threshold"
    assert event.actor_id == assessor and event.details["rule_id"] == "1.2.2" and event.details["deduction"] == "0.5"
    before = made.total
    for bad, field in ((dict(deduction="abc", note="x"), "deduction"), (dict(deduction="3", note="x"), "deduction"),
                       (dict(deduction="-1", note="x"), "deduction"), (dict(deduction="0.5", note="  "), "note")):
        with pytest.raises(ValidationFailed) as refused, services.db.unit_of_work() as s:
            assessment.enter_manual(s, run_id, "1.2.2", actor_id=assessor, now=clock.now(), **bad)
        assert field in refused.value.errors
    with pytest.raises(ValidationFailed) as refused, services.db.unit_of_work() as s:
        assessment.enter_manual(s, run_id, "3.1.1", deduction="1", note="x", actor_id=assessor, now=clock.now())
    assert "系统计算" in refused.value.errors["deduction"][0]
    with services.db.read() as s:
        assert s.get(AssessmentRun, run_id).total == before


def test_override_needs_a_supervisor_and_a_reason_and_is_shown_beside_the_figure(services, lookup, clock):
    run_id = run(services, lookup, clock, area_name=OTHER_STREET)
    assessor = add_assessor(services)
    with pytest.raises(PermissionDenied), services.db.unit_of_work() as s:
        assessment.override(s, run_id, "3.1.2", deduction="2", reason="x", actor_id=assessor, now=clock.now())
    with pytest.raises(ValidationFailed) as refused, services.db.unit_of_work() as s:
        assessment.override(s, run_id, "3.1.2", deduction="2", reason=" ", actor_id=lookup.user("dubanban"),
                            now=clock.now())
    assert "reason" in refused.value.errors
    computed = sheet(services, run_id)["3.1.2"].computed_deduction
    assert computed == Decimal(8)  # four quarters without two sweeps
    with services.db.unit_of_work() as s:
        assessment.override(s, run_id, "3.1.2", deduction="6", reason="二季度清查记录在纸质台账，已核实",
                            actor_id=lookup.user("dubanban"), now=clock.now())
    row = sheet(services, run_id)["3.1.2"]
    assert (row.computed_deduction, row.override_deduction, row.deduction) == (Decimal(8), Decimal(6), Decimal(6))
    assert row.override_reason == "二季度清查记录在纸质台账，已核实"
    with services.db.read() as s:
        event = s.scalar(sa.select(AuditEvent).where(AuditEvent.kind == "assessment_override"))
    assert (event.details["computed"], event.details["deduction"]) == ("8.00", "6")


def test_a_published_run_is_frozen_and_a_rerun_is_the_next_version(services, lookup, clock):
    supervisor = lookup.user("dubanban")
    first = run(services, lookup, clock)
    with services.db.unit_of_work() as s:
        assessment.enter_manual(s, first, "4.1.1", deduction="0.5", note="暗访未见举报电话公示", actor_id=supervisor,
                                now=clock.now())
        assessment.publish(s, first, actor_id=supervisor, now=clock.now())
    with services.db.read() as s:
        frozen = s.get(AssessmentRun, first)
        total = frozen.total
    assert frozen.status == AssessmentStatus.PUBLISHED and frozen.published_by_id == supervisor
    for action in (lambda s: assessment.enter_manual(s, first, "4.1.1", deduction="0", note="更正", actor_id=supervisor,
                                                     now=clock.now()),
                   lambda s: assessment.override(s, first, "3.1.1", deduction="0", reason="更正", actor_id=supervisor,
                                                 now=clock.now()),
                   lambda s: assessment.publish(s, first, actor_id=supervisor, now=clock.now())):
        with pytest.raises(assessment.RunFrozen), services.db.unit_of_work() as s:
            action(s)
    # Corrections in the records, then a re-run: version 2, superseding the first, with the manual entry kept.
    planner = lookup.user("wjs_market1")
    for day in (date(2026, 1, 5), date(2026, 1, 20)):
        sweep_id = sweeps.plan_sweep(services, planner, STREET, day, "集中清理")
        sweeps.finish_sweep(services, planner, sweep_id)
    second = run(services, lookup, clock)
    with services.db.read() as s:
        again = s.get(AssessmentRun, second)
        assert (again.version, again.supersedes_id, again.status) == (2, first, AssessmentStatus.DRAFT)
        assert s.get(AssessmentRun, first).total == total
        evidence = s.scalars(sa.select(AssessmentEvidence).where(AssessmentEvidence.run_id == second)).all()
        assert [(e.rule_id, e.note) for e in evidence] == [("4.1.1", "暗访未见举报电话公示")]
        assert [r.version for r in assessment.versions(s, lookup.area(STREET), date(2026, 1, 1),
                                                       date(2026, 12, 31))] == [2, 1]
    rows = sheet(services, second)
    assert rows["3.1.1"].computed_deduction == Decimal(20) and rows["4.1.1"].manual_deduction == Decimal("0.5")


def test_street_officers_see_only_their_street_and_ranking_orders_by_total(services, lookup, clock):
    mine = run(services, lookup, clock)
    theirs = run(services, lookup, clock, area_name=OTHER_STREET)
    with services.db.read() as s:
        assert assessment.get_run(s, mine, lookup.user("wjs_leader")).id == mine
        with pytest.raises(NotFound):
            assessment.get_run(s, theirs, lookup.user("wjs_leader"))
        with pytest.raises(NotFound):
            assessment.findings(s, theirs, "3.1.2", lookup.user("wjs_leader"))
        district = s.scalar(sa.select(AssessmentRun.area_path).where(AssessmentRun.id == mine)).split("/")[1]
        ranked = assessment.ranking(s, district_area_id=int(district), start=date(2026, 1, 1), end=date(2026, 12, 31))
        totals = [r.total for _a, r in ranked if r is not None]
        assert totals == sorted(totals, reverse=True) and len(totals) == 2
        assert all(r is None for _a, r in ranked[2:]) and len(ranked) > 2
        own = assessment.ranking(s, district_area_id=int(district), start=date(2026, 1, 1), end=date(2026, 12, 31),
                                 viewer_id=lookup.user("wjs_leader"))
        assert [a.name for a, _r in own] == [STREET]
    with pytest.raises(PermissionDenied), services.db.unit_of_work() as s:
        assessment.run(s, area_id=lookup.area(OTHER_STREET), start=date(2026, 1, 1), end=date(2026, 12, 31),
                       actor_id=lookup.user("wjs_leader"), now=clock.now())
    with pytest.raises(PermissionDenied), services.db.unit_of_work() as s:
        assessment.run(s, area_id=lookup.area(STREET), start=date(2026, 1, 1), end=date(2026, 12, 31),
                       actor_id=lookup.user("wjs_grid"), now=clock.now())


def test_the_worker_assesses_every_street_with_progress(services, lookup, clock):
    district_id = lookup.area("东西湖区")
    with services.db.unit_of_work() as s:
        job_id = assess_all(s, district_area_id=district_id, start=date(2026, 1, 1), end=date(2026, 12, 31),
                            actor_id=lookup.user("dubanban"), now=clock.now(), seed=3).id
        streets = [a.id for a in assessment.streets(s, district_id)]
    assert web_jobs.worker(services).run_one(job_id) is not None
    with services.db.read() as s:
        job = s.get(Job, job_id)
        runs = s.scalars(sa.select(AssessmentRun).where(AssessmentRun.job_id == job_id)
                         .order_by(AssessmentRun.id)).all()
    assert job.status == JobStatus.DONE and (job.done, job.total) == (len(streets), len(streets))
    assert [r.area_id for r in runs] == streets and all(r.seed == 3 for r in runs)
    assert [st["run_id"] for st in job.result["streets"]] == [r.id for r in runs]


def test_the_cli_prints_each_row_and_the_total(services, lookup, clock, db_url):
    planner = lookup.user("dubanban")
    sweep_id = sweeps.plan_sweep(services, planner, OTHER_STREET, date(2026, 2, 3), "集中清理")
    sweeps.finish_sweep(services, planner, sweep_id)
    runner = CliRunner()
    base = ["--database-url", db_url, "assess", "--area", OTHER_STREET, "--from", "2026-01-01", "--to", "2026-06-30"]
    text = runner.invoke(main, base)
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[0].split("\t") == ["序号", "指标", "分值", "扣分", "得分", "来源", "记录数"]
    row = next(line.split("\t") for line in lines if line.startswith("3.1.2\t"))
    # Two quarters, one sweep in the first and none in the second: 2 + 2 points.
    assert row[2:] == ["10", "4.00", "6.00", "系统计算", "1"]
    as_json = runner.invoke(main, base + ["--json"])
    result = json.loads(as_json.output)
    assert [r["id"] for r in result["rows"]] == [rule.id for rule in RULES]
    assert lines[-1].split("\t")[-1] == result["total"] and lines[-1].startswith("合计")
    missing = runner.invoke(main, ["--database-url", db_url, "assess", "--area", "不存在街", "--from", "2026-01-01",
                                   "--to", "2026-06-30"])
    assert missing.exit_code != 0 and "没有名为“不存在街”的区域" in missing.output


def test_a_job_taken_over_after_a_crash_skips_the_streets_it_already_scored(services, lookup, clock):
    district_id = lookup.area("东西湖区")
    with services.db.unit_of_work() as s:
        job = assess_all(s, district_area_id=district_id, start=date(2026, 1, 1), end=date(2026, 6, 30),
                         actor_id=lookup.user("dubanban"), now=clock.now())
        job_id, first_street = job.id, job.payload["area_ids"][0]
        # The street the first worker scored (and committed) before it died.
        done = assessment.run(s, area_id=first_street, start=date(2026, 1, 1), end=date(2026, 6, 30),
                              actor_id=lookup.user("dubanban"), now=clock.now(), job_id=job_id).id
    web_jobs.worker(services).run_one(job_id)
    with services.db.read() as s:
        runs = s.scalars(sa.select(AssessmentRun).where(AssessmentRun.job_id == job_id)).all()
        assert len([r for r in runs if r.area_id == first_street]) == 1
        assert s.get(Job, job_id).result["streets"][0]["run_id"] == done


def test_a_period_that_ends_before_it_starts_is_refused(services, lookup, clock):
    with pytest.raises(ValidationFailed) as refused, services.db.unit_of_work() as s:
        assessment.run(s, area_id=lookup.area(STREET), start=date(2026, 12, 31), end=date(2026, 1, 1),
                       actor_id=lookup.user("dubanban"), now=clock.now())
    assert refused.value.errors["start"] == ["考评期间的开始日期不能晚于结束日期。"]


def test_the_rules_add_up_to_the_annex():
    from workflows.assessment.rules import GROUP_WEIGHTS, second_levels
    from workflows.assessment.rules.base import Method

    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids)) and ids[0] == "1.1.1" and ids[-1] == "6.2.2"
    levels = second_levels()
    assert sum(weight for _name, weight in levels.values()) == Decimal(100)
    for group_number, (group, weight) in enumerate(GROUP_WEIGHTS.items(), 1):
        assert sum(w for key, (_n, w) in levels.items() if key.startswith(f"{group_number}.")) == weight
        assert {r.group for r in RULES if r.group_number == group_number} == {group}
    for rule in RULES:
        assert (rule.compute is None) == (rule.method == Method.MANUAL), rule.id
        assert Decimal(0) < rule.cap <= rule.second_weight, rule.id


def test_two_runs_at_once_never_make_one_version_twice(services, lookup, clock):
    from engine_helpers import release_together
    from workflows.exceptions import AssessmentConflict

    outcomes = []

    def attempt(_i):
        try:
            run(services, lookup, clock)
            outcomes.append("made")
        except AssessmentConflict as exc:
            outcomes.append(exc.message)

    release_together(attempt, 2)
    with services.db.read() as s:
        made = [r.version for r in assessment.versions(s, lookup.area(STREET), date(2026, 1, 1), date(2026, 12, 31))]
    # Queued writers (SQLite) make versions 1 and 2; racing ones (PostgreSQL) may leave one standing and tell the
    # other to try again. Never two runs with one version number.
    assert sorted(made) == list(range(1, len(made) + 1)) and outcomes.count("made") == len(made) >= 1
    assert all(o == "made" or "请刷新后重试" in o for o in outcomes) and len(outcomes) == 2
