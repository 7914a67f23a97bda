"""Installations seeded before the configuration role made their district administrator a
superuser; take that away (the Django admin now needs the config_admin role)."""

from django.db import migrations


def drop_superusers(apps, schema_editor):
    User = apps.get_model("access", "User")
    User.objects.filter(is_superuser=True, grants__role="district_admin").update(
        is_superuser=False, is_staff=False
    )


class Migration(migrations.Migration):
    dependencies = [("access", "0003_config_admin_role")]

    operations = [migrations.RunPython(drop_superusers, migrations.RunPython.noop)]
