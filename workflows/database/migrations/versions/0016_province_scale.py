"""province scale: on PostgreSQL the supervisor board's counts and an officer's area pickers read one
area's range (of the task mirror, of the address tree, of the cases counted in the case list) instead of a
province's

Revision ID: 0016_province_scale
Revises: 0015_flat_history
Create Date: 2026-11-29 18:00:00
"""
from alembic import op


revision = '0016_province_scale'
down_revision = '0015_flat_history'
branch_labels = None
depends_on = None


def upgrade():
    # PostgreSQL only (SQLite serves one district and reads the existing indexes): with a million cases the
    # board's counts must not walk every open matter or overdue step of the province to find one area's.
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index('ix_human_task_board_area', 'human_task', ['process_id', 'state', 'area_path', 'level'],
                        unique=False, postgresql_ops={'area_path': 'varchar_pattern_ops'})
        op.create_index('ix_human_task_due_area', 'human_task', ['state', 'area_path', 'due_at', 'process_id'],
                        unique=False, postgresql_ops={'area_path': 'varchar_pattern_ops'})
        op.create_index('ix_area_path_pattern', 'area', ['path'], unique=False,
                        postgresql_ops={'path': 'varchar_pattern_ops'})
        op.create_index('ix_process_instance_area_pattern', 'process_instance', ['area_path'], unique=False,
                        postgresql_ops={'area_path': 'varchar_pattern_ops'})
        op.create_index('ix_process_instance_newest', 'process_instance', ['created_at', 'id', 'area_path'],
                        unique=False)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_process_instance_newest', table_name='process_instance')
        op.drop_index('ix_process_instance_area_pattern', table_name='process_instance')
        op.drop_index('ix_area_path_pattern', table_name='area')
        op.drop_index('ix_human_task_due_area', table_name='human_task')
        op.drop_index('ix_human_task_board_area', table_name='human_task')
