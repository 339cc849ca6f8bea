"""pyramid_free: 创无 namings, inspections, lot draws, the platform register and its reports

Revision ID: 0011_pyramid_free
Revises: 0010_seizures
Create Date: 2026-11-29 17:14:12.450435
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_pyramid_free'
down_revision = '0010_seizures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pf_platform',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('operator', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('icp_number', sa.String(length=64), nullable=False),
    sa.Column('app_ids', sa.String(length=400), nullable=False),
    sa.Column('platform_type', sa.String(length=16), nullable=False),
    sa.Column('liaison_name', sa.String(length=64), nullable=False),
    sa.Column('liaison_phone', sa.String(length=32), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_pf_platform_area_id_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pf_platform')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_pf_platform_credit_code'))
    )
    with op.batch_alter_table('pf_platform', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pf_platform_area_path'), ['area_path'], unique=False)

    op.create_table('pf_draw',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=False),
    sa.Column('population', sa.JSON(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('picked', sa.JSON(), nullable=False),
    sa.Column('drawn_at', sa.DateTime(), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['user_account.id'], name=op.f('fk_pf_draw_drawn_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pf_draw')),
    sa.UniqueConstraint('purpose', 'key', 'round', name='uq_pf_draw_purpose_key_round')
    )
    with op.batch_alter_table('pf_draw', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pf_draw_key'), ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_pf_draw_purpose'), ['purpose'], unique=False)

    op.create_table('pf_platform_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('items_removed', sa.Integer(), nullable=False),
    sa.Column('accounts_closed', sa.Integer(), nullable=False),
    sa.Column('complaints_received', sa.Integer(), nullable=False),
    sa.Column('clues_reported', sa.Integer(), nullable=False),
    sa.Column('assistance_requests', sa.Integer(), nullable=False),
    sa.Column('assistance_hours', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['pf_platform.id'], name=op.f('fk_pf_platform_report_platform_id_pf_platform')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_pf_platform_report_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pf_platform_report')),
    sa.UniqueConstraint('platform_id', 'period', name='uq_pf_platform_report_period')
    )
    with op.batch_alter_table('pf_platform_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pf_platform_report_platform_id'), ['platform_id'], unique=False)

    op.create_table('pf_naming',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=False),
    sa.Column('applied_by_id', sa.Integer(), nullable=False),
    sa.Column('self_assessment', sa.JSON(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('watch_instance_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.String(length=1000), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('named_at', sa.DateTime(), nullable=True),
    sa.Column('certificate_notice_id', sa.Integer(), nullable=True),
    sa.Column('next_periodic_at', sa.DateTime(), nullable=True),
    sa.Column('rectification_due_at', sa.DateTime(), nullable=True),
    sa.Column('rectification_ordered_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=1000), nullable=False),
    sa.Column('revocation_notice_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['applied_by_id'], ['user_account.id'], name=op.f('fk_pf_naming_applied_by_id_user_account')),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_pf_naming_area_id_area')),
    sa.ForeignKeyConstraint(['certificate_notice_id'], ['notice.id'], name=op.f('fk_pf_naming_certificate_notice_id_notice')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_pf_naming_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['platform_id'], ['pf_platform.id'], name=op.f('fk_pf_naming_platform_id_pf_platform')),
    sa.ForeignKeyConstraint(['rectification_ordered_by_id'], ['user_account.id'], name=op.f('fk_pf_naming_rectification_ordered_by_id_user_account')),
    sa.ForeignKeyConstraint(['revocation_notice_id'], ['notice.id'], name=op.f('fk_pf_naming_revocation_notice_id_notice')),
    sa.ForeignKeyConstraint(['watch_instance_id'], ['process_instance.id'], name=op.f('fk_pf_naming_watch_instance_id_process_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pf_naming')),
    sa.UniqueConstraint('instance_id', name=op.f('uq_pf_naming_instance_id'))
    )
    with op.batch_alter_table('pf_naming', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pf_naming_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pf_naming_area_path'), ['area_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_pf_naming_next_periodic_at'), ['next_periodic_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pf_naming_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pf_naming_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_pf_naming_subject'), ['subject'], unique=False)
        batch_op.create_index(batch_op.f('ix_pf_naming_year'), ['year'], unique=False)

    op.create_table('pf_inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('naming_id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('inspector_ids', sa.JSON(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('pass_score', sa.Float(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('serious_problems', sa.JSON(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f('fk_pf_inspection_by_id_user_account')),
    sa.ForeignKeyConstraint(['draw_id'], ['pf_draw.id'], name=op.f('fk_pf_inspection_draw_id_pf_draw')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_pf_inspection_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['naming_id'], ['pf_naming.id'], name=op.f('fk_pf_inspection_naming_id_pf_naming')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pf_inspection'))
    )
    with op.batch_alter_table('pf_inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pf_inspection_naming_id'), ['naming_id'], unique=False)



def downgrade():
    with op.batch_alter_table('pf_inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pf_inspection_naming_id'))

    op.drop_table('pf_inspection')
    with op.batch_alter_table('pf_naming', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pf_naming_year'))
        batch_op.drop_index(batch_op.f('ix_pf_naming_subject'))
        batch_op.drop_index(batch_op.f('ix_pf_naming_status'))
        batch_op.drop_index(batch_op.f('ix_pf_naming_platform_id'))
        batch_op.drop_index(batch_op.f('ix_pf_naming_next_periodic_at'))
        batch_op.drop_index(batch_op.f('ix_pf_naming_area_path'))
        batch_op.drop_index(batch_op.f('ix_pf_naming_area_id'))

    op.drop_table('pf_naming')
    with op.batch_alter_table('pf_platform_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pf_platform_report_platform_id'))

    op.drop_table('pf_platform_report')
    with op.batch_alter_table('pf_draw', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pf_draw_purpose'))
        batch_op.drop_index(batch_op.f('ix_pf_draw_key'))

    op.drop_table('pf_draw')
    with op.batch_alter_table('pf_platform', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pf_platform_area_path'))

    op.drop_table('pf_platform')
