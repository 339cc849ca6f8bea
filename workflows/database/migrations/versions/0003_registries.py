"""registries: complaints, reported subjects, API clients, rental houses and catches, intermediaries; blacklist group numbers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 02:59:40.395699
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_api_client_area_id_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_client')),
    sa.UniqueConstraint('name', name=op.f('uq_api_client_name')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_client_token_hash'))
    )
    op.create_table('intermediary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('address', sa.String(length=400), nullable=False),
    sa.Column('contact_name', sa.String(length=64), nullable=False),
    sa.Column('contact_phone', sa.String(length=32), nullable=False),
    sa.Column('pledge_signed_on', sa.Date(), nullable=True),
    sa.Column('violation_count', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_intermediary_area_id_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intermediary')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_intermediary_credit_code'))
    )
    with op.batch_alter_table('intermediary', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intermediary_area_path'), ['area_path'], unique=False)

    op.create_table('complaint_subject',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('report_count', sa.Integer(), nullable=False),
    sa.Column('first_reported_at', sa.DateTime(), nullable=False),
    sa.Column('last_reported_at', sa.DateTime(), nullable=False),
    sa.Column('investigation_instance_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['investigation_instance_id'], ['process_instance.id'], name=op.f('fk_complaint_subject_investigation_instance_id_process_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_subject')),
    sa.UniqueConstraint('key', name=op.f('uq_complaint_subject_key'))
    )
    op.create_table('intermediary_violation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intermediary_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_intermediary_violation_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['intermediary_id'], ['intermediary.id'], name=op.f('fk_intermediary_violation_intermediary_id_intermediary')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_intermediary_violation_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intermediary_violation'))
    )
    with op.batch_alter_table('intermediary_violation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intermediary_violation_intermediary_id'), ['intermediary_id'], unique=False)

    op.create_table('rental_house',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('address', sa.String(length=400), nullable=False),
    sa.Column('owner_name', sa.String(length=64), nullable=False),
    sa.Column('owner_id_number', sa.String(length=18), nullable=False),
    sa.Column('owner_phone', sa.String(length=32), nullable=False),
    sa.Column('owner_party_member', sa.Boolean(), nullable=False),
    sa.Column('owner_public_official', sa.Boolean(), nullable=False),
    sa.Column('tenants', sa.JSON(), nullable=False),
    sa.Column('commitment_signed_on', sa.Date(), nullable=True),
    sa.Column('security_pledge_signed_on', sa.Date(), nullable=True),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('filing_number', sa.String(length=64), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('flagged_at', sa.DateTime(), nullable=True),
    sa.Column('unflagged_at', sa.DateTime(), nullable=True),
    sa.Column('catch_count', sa.Integer(), nullable=False),
    sa.Column('last_caught_at', sa.DateTime(), nullable=True),
    sa.Column('reflux_count', sa.Integer(), nullable=False),
    sa.Column('last_reflux_at', sa.DateTime(), nullable=True),
    sa.Column('three_stops_state', sa.String(length=16), nullable=False),
    sa.Column('three_stops_on', sa.Date(), nullable=True),
    sa.Column('three_stops_lifted_on', sa.Date(), nullable=True),
    sa.Column('patrol_instance_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_rental_house_area_id_area')),
    sa.ForeignKeyConstraint(['patrol_instance_id'], ['process_instance.id'], name=op.f('fk_rental_house_patrol_instance_id_process_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rental_house')),
    sa.UniqueConstraint('area_id', name=op.f('uq_rental_house_area_id'))
    )
    with op.batch_alter_table('rental_house', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rental_house_area_path'), ['area_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_rental_house_flagged'), ['flagged'], unique=False)

    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('address_text', sa.String(length=300), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('online_mlm', sa.Boolean(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('complainant_name', sa.String(length=64), nullable=False),
    sa.Column('complainant_phone', sa.String(length=32), nullable=False),
    sa.Column('complainant_id_number', sa.String(length=18), nullable=False),
    sa.Column('complainant_contact', sa.String(length=200), nullable=False),
    sa.Column('first_receiver_id', sa.Integer(), nullable=True),
    sa.Column('client_system', sa.String(length=64), nullable=True),
    sa.Column('client_reference', sa.String(length=100), nullable=True),
    sa.Column('payload_digest', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('responsible_unit', sa.String(length=16), nullable=False),
    sa.Column('transferred_at', sa.DateTime(), nullable=True),
    sa.Column('linked_instance_id', sa.Integer(), nullable=True),
    sa.Column('reward_status', sa.String(length=16), nullable=False),
    sa.Column('reward_amount', sa.Integer(), nullable=False),
    sa.Column('reward_decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_complaint_area_id_area')),
    sa.ForeignKeyConstraint(['first_receiver_id'], ['user_account.id'], name=op.f('fk_complaint_first_receiver_id_user_account')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_complaint_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['linked_instance_id'], ['process_instance.id'], name=op.f('fk_complaint_linked_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['subject_id'], ['complaint_subject.id'], name=op.f('fk_complaint_subject_id_complaint_subject')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint')),
    sa.UniqueConstraint('client_system', 'client_reference', name='uq_complaint_client_reference'),
    sa.UniqueConstraint('instance_id', name=op.f('uq_complaint_instance_id'))
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_area_path'), ['area_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_reference'), ['reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_subject_id'), ['subject_id'], unique=False)

    op.create_table('house_catch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('house_id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('caught_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['house_id'], ['rental_house.id'], name=op.f('fk_house_catch_house_id_rental_house')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_house_catch_instance_id_process_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_house_catch')),
    sa.UniqueConstraint('house_id', 'instance_id', name='uq_house_catch_house_instance')
    )
    with op.batch_alter_table('house_catch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_house_catch_house_id'), ['house_id'], unique=False)

    with op.batch_alter_table('blacklist_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_numbers', sa.String(length=200), nullable=False, server_default=''))



def downgrade():
    with op.batch_alter_table('blacklist_entry', schema=None) as batch_op:
        batch_op.drop_column('group_numbers')

    with op.batch_alter_table('house_catch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_house_catch_house_id'))

    op.drop_table('house_catch')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_subject_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_reference'))
        batch_op.drop_index(batch_op.f('ix_complaint_received_at'))
        batch_op.drop_index(batch_op.f('ix_complaint_area_path'))

    op.drop_table('complaint')
    with op.batch_alter_table('rental_house', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rental_house_flagged'))
        batch_op.drop_index(batch_op.f('ix_rental_house_area_path'))

    op.drop_table('rental_house')
    with op.batch_alter_table('intermediary_violation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intermediary_violation_intermediary_id'))

    op.drop_table('intermediary_violation')
    op.drop_table('complaint_subject')
    with op.batch_alter_table('intermediary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intermediary_area_path'))

    op.drop_table('intermediary')
    op.drop_table('api_client')
