"""The reviewed seed lexicon of crisis words (editable by the district administrator)."""

from django.db import migrations

SEED = {
    "suicide": ["轻生", "自杀", "自残", "自伤", "寻死", "不想活", "想死", "割腕", "跳楼", "服毒", "喝农药"],
    "violence": ["家暴", "家庭暴力", "虐待", "殴打", "性侵", "猥亵", "遗弃", "威胁"],
    "missing": ["走失", "失踪", "离家出走", "下落不明"],
}


def seed(apps, schema_editor):
    CrisisWord = apps.get_model("notifications", "CrisisWord")
    for category, words in SEED.items():
        for word in words:
            CrisisWord.objects.get_or_create(word=word, defaults={"category": category})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
