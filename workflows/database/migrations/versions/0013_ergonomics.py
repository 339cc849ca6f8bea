"""ergonomics: the reassignment's reason and time on the task, substitutes (代班), one reference counter per prefix
and year (seeded past the numbers already given, so no reference is given twice)

Revision ID: 0013_ergonomics
Revises: 0012_penalty_procedure
Create Date: 2026-11-29 17:30:00
"""
import re

from alembic import op
import sqlalchemy as sa


revision = '0013_ergonomics'
down_revision = '0012_penalty_procedure'
branch_labels = None
depends_on = None

REFERENCE = re.compile(r'^([A-Z]+)(\d{4})(\d+)$')


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reassigned_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reassigned_by_id', sa.Integer(), nullable=True))
        # The default only fills the rows that exist now; the model gives new rows their ''.
        batch_op.add_column(sa.Column('reassign_reason', sa.String(length=500), nullable=False, server_default=''))
        batch_op.create_foreign_key('fk_human_task_reassigned_by_id_user_account', 'user_account',
                                    ['reassigned_by_id'], ['id'])
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.alter_column('reassign_reason', existing_type=sa.String(length=500), existing_nullable=False,
                              server_default=None)

    op.create_table('substitution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('absent_id', sa.Integer(), nullable=False),
    sa.Column('substitute_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['absent_id'], ['user_account.id'], name=op.f('fk_substitution_absent_id_user_account')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                            name=op.f('fk_substitution_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['substitute_id'], ['user_account.id'],
                            name=op.f('fk_substitution_substitute_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_substitution'))
    )
    op.create_index('ix_substitution_absent_period', 'substitution', ['absent_id', 'starts_at', 'ends_at'],
                    unique=False)
    op.create_index(op.f('ix_substitution_substitute_id'), 'substitution', ['substitute_id'], unique=False)

    counter = op.create_table('reference_counter',
    sa.Column('prefix', sa.String(length=8), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', 'year', name=op.f('pk_reference_counter'))
    )
    # References so far were numbered by instance id across all prefixes: continue after the highest of each.
    last = {}
    for (reference,) in op.get_bind().execute(sa.text('SELECT reference FROM process_instance')):
        match = REFERENCE.match(reference or '')
        if match:
            key = (match.group(1), int(match.group(2)))
            last[key] = max(last.get(key, 0), int(match.group(3)))
    if last:
        op.bulk_insert(counter, [{'prefix': p, 'year': y, 'last': n} for (p, y), n in sorted(last.items())])


def downgrade():
    op.drop_table('reference_counter')
    op.drop_index(op.f('ix_substitution_substitute_id'), table_name='substitution')
    op.drop_index('ix_substitution_absent_period', table_name='substitution')
    op.drop_table('substitution')
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_constraint('fk_human_task_reassigned_by_id_user_account', type_='foreignkey')
        batch_op.drop_column('reassign_reason')
        batch_op.drop_column('reassigned_by_id')
        batch_op.drop_column('reassigned_at')
