"""stats_speed: the statistics page's stored figures, one row per area and whole-month period

Revision ID: 0022_stats_speed
Revises: 0019_statistics
Create Date: 2026-11-29 20:50:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0022_stats_speed'
down_revision = '0021_assessment_speed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'statistics_snapshot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('area_path', sa.String(length=255), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('charts', sa.JSON(), nullable=True),
        sa.Column('computed_at', sa.DateTime(), nullable=True),
        sa.Column('compute_seconds', sa.Double(), nullable=True),
        sa.Column('requested_at', sa.DateTime(), nullable=True),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_statistics_snapshot_area_id_area')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'],
                                name=op.f('fk_statistics_snapshot_requested_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_statistics_snapshot')),
        sa.UniqueConstraint('area_id', 'period_start', 'period_end', name='uq_statistics_snapshot_period'),
    )


def downgrade():
    op.drop_table('statistics_snapshot')
