"""assessment indexes: what the Annex 3 rules and the statistics page look up at district scale

Revision ID: 0020_assessment_indexes
Revises: 0019_statistics
Create Date: 2026-11-29 20:20:00
"""
from alembic import op


revision = '0020_assessment_indexes'
down_revision = '0019_statistics'
branch_labels = None
depends_on = None


def upgrade():
    # Whether a person caught was penalised is looked up by ID number in batches of 500 (penalty rate, repeat
    # persons, landlords): without it every batch reads the whole penalty_case table.
    op.create_index('ix_penalty_case_party_id_number', 'penalty_case', ['party_id_number'], unique=False)


def downgrade():
    op.drop_index('ix_penalty_case_party_id_number', table_name='penalty_case')
