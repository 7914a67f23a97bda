from django.db import migrations

# REQUIREMENTS "Visit frequency tiers": high risk at least weekly (5 working days, so a
# public holiday does not eat the week), key monthly, general quarterly.
DEFAULTS = [("high", 5, True), ("key", 30, False), ("general", 90, False)]


def seed(apps, schema_editor):
    VisitPolicy = apps.get_model("clients", "VisitPolicy")
    for tier, interval, working_days in DEFAULTS:
        if not VisitPolicy.objects.filter(risk_tier=tier, group=None).exists():
            VisitPolicy.objects.create(
                risk_tier=tier, interval=interval, working_days=working_days
            )


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_target_groups")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
