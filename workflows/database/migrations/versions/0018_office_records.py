"""office records: publicity activities, letters to registration places, police 110 alert counts, criminal
filings after a transfer, case 报备, periodic statistical reports, working groups and the office's documents

Revision ID: 0018_office_records
Revises: 0017_assessment
Create Date: 2026-11-29 20:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_office_records'
down_revision = '0017_assessment'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('office_document',
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('file', sa.JSON(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_office_document_area_id_area')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_office_document_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_document'))
    )
    op.create_index(op.f('ix_office_document_area_path'), 'office_document', ['area_path'], unique=False)
    op.create_index(op.f('ix_office_document_year'), 'office_document', ['year'], unique=False)
    op.create_table('police_alert_count',
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('alerts', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_police_alert_count_area_id_area')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_police_alert_count_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_police_alert_count')),
    sa.UniqueConstraint('area_id', 'period_start', 'period_end', name='uq_police_alert_count_area_period')
    )
    op.create_index(op.f('ix_police_alert_count_area_path'), 'police_alert_count', ['area_path'], unique=False)
    op.create_index(op.f('ix_police_alert_count_period_start'), 'police_alert_count', ['period_start'], unique=False)
    op.create_table('publicity_activity',
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('photos', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_publicity_activity_area_id_area')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_publicity_activity_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_activity'))
    )
    op.create_index(op.f('ix_publicity_activity_area_path'), 'publicity_activity', ['area_path'], unique=False)
    op.create_index(op.f('ix_publicity_activity_held_on'), 'publicity_activity', ['held_on'], unique=False)
    op.create_table('statistical_report',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('period_label', sa.String(length=40), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_statistical_report_area_id_area')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_statistical_report_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statistical_report'))
    )
    op.create_index(op.f('ix_statistical_report_area_path'), 'statistical_report', ['area_path'], unique=False)
    op.create_index(op.f('ix_statistical_report_due_on'), 'statistical_report', ['due_on'], unique=False)
    op.create_table('working_group',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('formed_on', sa.Date(), nullable=False),
    sa.Column('dissolved_on', sa.Date(), nullable=True),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_working_group_area_id_area')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_working_group_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_group'))
    )
    op.create_index(op.f('ix_working_group_area_path'), 'working_group', ['area_path'], unique=False)
    op.create_table('case_report',
    sa.Column('case_label', sa.String(length=200), nullable=False),
    sa.Column('case_kind', sa.String(length=16), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_case_report_area_id_area')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_case_report_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_case_report_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_report'))
    )
    op.create_index(op.f('ix_case_report_area_path'), 'case_report', ['area_path'], unique=False)
    op.create_index(op.f('ix_case_report_due_on'), 'case_report', ['due_on'], unique=False)
    op.create_table('criminal_filing',
    sa.Column('case_reference', sa.String(length=64), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('transfer_instance_id', sa.Integer(), nullable=True),
    sa.Column('persons', sa.String(length=500), nullable=False),
    sa.Column('receipt', sa.JSON(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_criminal_filing_area_id_area')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_criminal_filing_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['transfer_instance_id'], ['process_instance.id'], name=op.f('fk_criminal_filing_transfer_instance_id_process_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criminal_filing'))
    )
    op.create_index(op.f('ix_criminal_filing_area_path'), 'criminal_filing', ['area_path'], unique=False)
    op.create_index(op.f('ix_criminal_filing_filed_on'), 'criminal_filing', ['filed_on'], unique=False)
    op.create_table('registration_letter_sent',
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('person_name', sa.String(length=64), nullable=False),
    sa.Column('registration_place', sa.String(length=120), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('letter_number', sa.String(length=64), nullable=False),
    sa.Column('blacklist_entry_id', sa.Integer(), nullable=True),
    sa.Column('case_instance_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_registration_letter_sent_area_id_area')),
    sa.ForeignKeyConstraint(['blacklist_entry_id'], ['blacklist_entry.id'], name=op.f('fk_registration_letter_sent_blacklist_entry_id_blacklist_entry')),
    sa.ForeignKeyConstraint(['case_instance_id'], ['process_instance.id'], name=op.f('fk_registration_letter_sent_case_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_registration_letter_sent_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_letter_sent'))
    )
    op.create_index(op.f('ix_registration_letter_sent_area_path'), 'registration_letter_sent', ['area_path'], unique=False)
    op.create_index(op.f('ix_registration_letter_sent_id_number'), 'registration_letter_sent', ['id_number'], unique=False)
    op.create_index(op.f('ix_registration_letter_sent_sent_on'), 'registration_letter_sent', ['sent_on'], unique=False)


def downgrade():
    op.drop_table('registration_letter_sent')
    op.drop_table('criminal_filing')
    op.drop_table('case_report')
    op.drop_table('working_group')
    op.drop_table('statistical_report')
    op.drop_table('publicity_activity')
    op.drop_table('police_alert_count')
    op.drop_table('office_document')
