"""assessment speed: the penalty cases filed in an area's range and period, read from one index

Revision ID: 0021_assessment_speed
Revises: 0020_assessment_indexes
Create Date: 2026-11-29 21:10:00
"""
from alembic import op


revision = '0021_assessment_speed'
down_revision = '0020_assessment_indexes'
branch_labels = None
depends_on = None


def upgrade():
    # Rule 3.3.1b counts a street's ordinary-procedure cases filed in the period: without it the area index
    # alone leads to every penalty case of the street, each row read for its filing day.
    op.create_index('ix_penalty_case_area_filed', 'penalty_case', ['area_path', 'filed_on', 'instance_id'],
                    unique=False, postgresql_ops={'area_path': 'varchar_pattern_ops'})


def downgrade():
    op.drop_index('ix_penalty_case_area_filed', table_name='penalty_case')
