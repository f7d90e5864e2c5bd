"""On PostgreSQL the audit tables refuse UPDATE and DELETE, whoever asks: an intruder through the
application cannot rewrite history, and one with the database owner's rights who disables the
trigger is still caught by the hash chain (``nmt audit verify``). SQLite has no such guard; the
chain alone protects it."""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_auditaccess")

CREATE = """
CREATE OR REPLACE FUNCTION nmt_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION nmt_audit_append_only()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS nmt_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head")]

    operations = [migrations.RunPython(forwards, backwards)]
