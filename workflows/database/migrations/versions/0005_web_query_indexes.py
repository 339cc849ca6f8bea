"""web query indexes: overdue steps and the supervisor board read from one index each; area prefix
search on PostgreSQL whatever its collation; case lists by creation time

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 04:30:00
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_due')
        batch_op.create_index('ix_human_task_due', ['state', 'due_at', 'process_id', 'area_path'], unique=False)
        batch_op.create_index('ix_human_task_board', ['process_id', 'state', 'level', 'created_at', 'area_path'],
                              unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index('ix_human_task_inbox_pattern', 'human_task', ['state', 'role', 'area_path'], unique=False,
                        postgresql_ops={'area_path': 'varchar_pattern_ops'})
    with op.batch_alter_table('process_instance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_instance_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('process_instance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_instance_created_at'))
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_human_task_inbox_pattern', table_name='human_task')
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_board')
        batch_op.drop_index('ix_human_task_due')
        batch_op.create_index('ix_human_task_due', ['state', 'due_at'], unique=False)
