"""notices: issued notices, their number series, batch print jobs; issued content frozen at the database

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 02:51:43.261470
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notice_counter',
    sa.Column('prefix', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', 'year', name=op.f('pk_notice_counter'))
    )
    op.create_table('notice_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('notice_ids', sa.JSON(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_notice_batch_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_batch'))
    )
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('notice_type', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=64), nullable=False),
    sa.Column('addressee', sa.String(length=300), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.String(length=36), nullable=True),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('issuer_department_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('voided_by_id', sa.Integer(), nullable=True),
    sa.Column('void_reason', sa.String(length=500), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_notice_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_notice_issued_by_id_user_account')),
    sa.ForeignKeyConstraint(['issuer_department_id'], ['department.id'], name=op.f('fk_notice_issuer_department_id_department')),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['notice.id'], name=op.f('fk_notice_replaced_by_id_notice')),
    sa.ForeignKeyConstraint(['replaces_id'], ['notice.id'], name=op.f('fk_notice_replaces_id_notice')),
    sa.ForeignKeyConstraint(['voided_by_id'], ['user_account.id'], name=op.f('fk_notice_voided_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
    sa.UniqueConstraint('number', name=op.f('uq_notice_number')),
    sa.UniqueConstraint('prefix', 'year', 'sequence', name='uq_notice_prefix_year_sequence')
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_area_path'), ['area_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_notice_type'), ['notice_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_status'), ['status'], unique=False)

    _notice_immutable()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS notice_immutable ON notice")
        op.execute("DROP FUNCTION IF EXISTS notice_immutable()")
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_status'))
        batch_op.drop_index(batch_op.f('ix_notice_notice_type'))
        batch_op.drop_index(batch_op.f('ix_notice_instance_id'))
        batch_op.drop_index(batch_op.f('ix_notice_area_path'))

    op.drop_table('notice')
    op.drop_table('notice_batch')
    op.drop_table('notice_counter')


# What a notice says and who issued it never changes; only the void columns may be set, once.
FROZEN = ("number", "prefix", "year", "sequence", "notice_type", "title", "addressee", "instance_id", "task_id",
          "area_path", "issuer_department_id", "issued_at", "issued_by_id", "content", "digest", "replaces_id")


def _notice_immutable():
    """Issued notices refuse content changes, deletes and un-voiding at the database, not just in the code."""
    if op.get_bind().dialect.name == "sqlite":
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
        op.execute("CREATE TRIGGER notice_no_delete BEFORE DELETE ON notice "
                   "BEGIN SELECT RAISE(ABORT, 'issued notices are kept: void them instead'); END")
        op.execute("CREATE TRIGGER notice_void_final BEFORE UPDATE ON notice WHEN OLD.status = 'voided' "
                   "BEGIN SELECT RAISE(ABORT, 'a voided notice stays voided'); END")
        op.execute(f"CREATE TRIGGER notice_frozen BEFORE UPDATE ON notice WHEN {changed} "
                   "BEGIN SELECT RAISE(ABORT, 'an issued notice is immutable'); END")
    else:
        new = ", ".join(f"NEW.{c}" for c in FROZEN)
        old = ", ".join(f"OLD.{c}" for c in FROZEN)
        op.execute("CREATE FUNCTION notice_immutable() RETURNS trigger AS $$ BEGIN "
                   "IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'issued notices are kept: void them instead'; END IF; "
                   "IF OLD.status = 'voided' THEN RAISE EXCEPTION 'a voided notice stays voided'; END IF; "
                   f"IF ROW({new}) IS DISTINCT FROM ROW({old}) THEN "
                   "RAISE EXCEPTION 'an issued notice is immutable'; END IF; "
                   "RETURN NEW; END; $$ LANGUAGE plpgsql")
        op.execute("CREATE TRIGGER notice_immutable BEFORE UPDATE OR DELETE ON notice "
                   "FOR EACH ROW EXECUTE FUNCTION notice_immutable()")
