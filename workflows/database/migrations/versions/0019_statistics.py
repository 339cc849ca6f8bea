"""statistics: indexes the statistics page counts from (one step's deadlines in a period; one process's cases in
one area's range), so a district's year is read from the indexes alone

Revision ID: 0019_statistics
Revises: 0017_assessment
Create Date: 2026-11-29 20:30:00
"""
from alembic import op


revision = '0019_statistics'
down_revision = '0018_office_records'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_human_task_step_due', 'human_task',
                    ['process_id', 'task_name', 'state', 'due_at', 'area_path', 'completed_at'], unique=False)
    op.create_index('ix_process_instance_outcome', 'process_instance',
                    ['process_id', 'area_path', 'created_at', 'status', 'end_event'], unique=False,
                    postgresql_ops={'area_path': 'varchar_pattern_ops'})


def downgrade():
    op.drop_index('ix_process_instance_outcome', table_name='process_instance')
    op.drop_index('ix_human_task_step_due', table_name='human_task')
