from django.db import migrations, models

# Substring name search (``name__icontains``: ``UPPER(name::text) LIKE UPPER('%…%')``) on
# PostgreSQL: a pg_trgm GIN index on the same expression lets a search of three characters
# or more use the index instead of reading the table. Nothing on other databases.
TRGM_INDEX = "clients_client_name_trgm"


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON clients_client "
        "USING gin ((UPPER((name)::text)) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0006_target_group_aliases"),
        ("divisions", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["division", "name", "id"], name="client_list_order"),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                fields=["next_visit_due", "division", "id"], name="client_due_order"
            ),
        ),
        migrations.RunPython(add_trigram_index, drop_trigram_index, elidable=False),
    ]
