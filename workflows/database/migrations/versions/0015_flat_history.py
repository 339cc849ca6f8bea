"""flat history: the workflow_history table, and every stored instance's finished rounds moved into it

Revision ID: 0015_flat_history
Revises: 0014_security
Create Date: 2026-11-29 18:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015_flat_history'
down_revision = '0014_security'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workflow_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=False),
    sa.Column('task_count', sa.Integer(), nullable=False),
    sa.Column('tasks', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'],
                            name=op.f('fk_workflow_history_instance_id_process_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_history'))
    )
    with op.batch_alter_table('workflow_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workflow_history_instance_id'), ['instance_id'], unique=False)
    _prune_stored_instances()


def _prune_stored_instances():
    """Cut the finished rounds out of every running instance's stored state, as a save now does.

    The engine's own restore/prune/dump is used (not a copy of it), so a stored state converted here is
    exactly what the next save would have written. The version is bumped so that a workflow some process
    still holds in memory from before is not used again.
    """
    from datetime import datetime, timezone

    from workflows.engine import history, spiff
    from workflows.vocabulary import InstanceStatus

    conn = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = conn.execute(sa.text(
        "SELECT i.id, i.process_id, i.state, i.version, v.bpmn_xml FROM process_instance i "
        "JOIN process_version v ON v.id = i.version_id WHERE i.status = :running"),
        {"running": InstanceStatus.RUNNING.value}).all()
    for instance_id, process_id, state, version, xml in rows:
        if not state:
            continue
        parsed = spiff.parse(xml.encode() if isinstance(xml, str) else xml, process_id)
        rt = spiff.Runtime.restore(parsed, state)
        cut = rt.prune()
        if not cut:
            continue
        history.archive_on(conn, instance_id, now, cut)
        conn.execute(sa.text("UPDATE process_instance SET state = :state, version = :version WHERE id = :id"),
                     {"state": rt.dump(), "version": version + 1, "id": instance_id})


def downgrade():
    # The cut rounds stay out of the stored states: the engine restores them as they are either way.
    with op.batch_alter_table('workflow_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workflow_history_instance_id'))
    op.drop_table('workflow_history')
