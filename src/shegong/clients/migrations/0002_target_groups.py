from django.db import migrations

# R3.0: the eight target groups the plan names.
GROUPS = [
    ("dibao", "最低生活保障对象"),
    ("tekun", "特困人员"),
    ("linshi_jiuzhu", "临时救助对象"),
    ("liulang", "生活无着的流浪乞讨人员"),
    ("liushou_laonian", "留守老年人"),
    ("liushou_ertong", "农村留守儿童"),
    ("kunjing_ertong", "困境儿童"),
    ("canji", "残疾人"),
]


def seed(apps, schema_editor):
    TargetGroup = apps.get_model("clients", "TargetGroup")
    for order, (code, name) in enumerate(GROUPS, start=1):
        TargetGroup.objects.update_or_create(
            code=code, defaults={"name": name, "is_builtin": True, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
