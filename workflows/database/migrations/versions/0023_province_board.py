"""province board: on PostgreSQL the open steps of an area, with their start, deadline and id, in a small
index of its own, so the board's lights and overdue page read it alone

Revision ID: 0023_province_board
Revises: 0022_stats_speed
Create Date: 2026-11-29 23:00:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0023_province_board'
down_revision = '0022_stats_speed'
branch_labels = None
depends_on = None


def upgrade():
    # PostgreSQL only (SQLite serves one district): a partial index of the open steps, covering what the
    # board's per-street lights and its overdue page read.
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index('ix_human_task_open_due', 'human_task', ['area_path', 'due_at', 'process_id'],
                        unique=False, postgresql_ops={'area_path': 'varchar_pattern_ops'},
                        postgresql_include=['created_at', 'id'], postgresql_where=sa.text("state = 'ready'"))


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_human_task_open_due', table_name='human_task')
