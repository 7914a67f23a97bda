"""Consent ``relation`` becomes a choice (finding 15: free text let "self" typed in English
pass the under-14 rule, which compared with "本人"). Existing values are mapped: the
client, a parent, another guardian, a spouse, a son or daughter, another relative, an
agent; anything else becomes "other". Grandparents and other relatives map to "relative",
not "guardian": a child whose only consent came from them shows as needing a guardian's
consent again, for the worker to confirm (the safe way round). History rows keep what was
typed."""

from django.db import migrations, models

CHOICES = [
    ("self", "the client (self)"),
    ("parent", "father or mother"),
    ("guardian", "other legal guardian"),
    ("spouse", "spouse"),
    ("child", "son or daughter"),
    ("relative", "other close relative"),
    ("agent", "authorised agent"),
    ("other", "other"),
]

TYPED = {
    "self": {"本人", "自己", "当事人", "服务对象本人", "self", "myself", "client"},
    "parent": {
        "父母",
        "父亲",
        "母亲",
        "父",
        "母",
        "爸爸",
        "妈妈",
        "养父",
        "养母",
        "继父",
        "继母",
        "parent",
        "father",
        "mother",
    },
    "guardian": {"监护人", "法定监护人", "其他监护人", "guardian", "legal guardian"},
    "spouse": {"配偶", "妻子", "丈夫", "老伴", "爱人", "妻", "夫", "spouse", "wife", "husband"},
    "child": {"子女", "儿子", "女儿", "子", "女", "son", "daughter", "child"},
    "relative": {
        "亲属",
        "近亲属",
        "其他亲属",
        "其他近亲属",
        "亲戚",
        "祖父",
        "祖母",
        "外祖父",
        "外祖母",
        "爷爷",
        "奶奶",
        "外公",
        "外婆",
        "孙子",
        "孙女",
        "外孙",
        "外孙女",
        "兄弟",
        "姐妹",
        "哥哥",
        "姐姐",
        "弟弟",
        "妹妹",
        "叔叔",
        "伯伯",
        "姑姑",
        "舅舅",
        "阿姨",
        "姨妈",
        "侄子",
        "侄女",
        "儿媳",
        "女婿",
        "relative",
        "grandmother",
        "grandfather",
        "brother",
        "sister",
    },
    "agent": {"代理人", "委托代理人", "委托人", "受托人", "agent"},
}
CODE_OF = {text: code for code, texts in TYPED.items() for text in texts}


def relation_code(typed: str) -> str:
    """The choice for a relation typed as free text."""
    text = "".join((typed or "").split()).lower()
    if text in dict(CHOICES):
        return text
    return CODE_OF.get(text, "other")


def forwards(apps, schema_editor):
    Consent = apps.get_model("clients", "Consent")
    for consent in Consent.objects.all().only("pk", "relation"):
        code = relation_code(consent.relation)
        if code != consent.relation:
            Consent.objects.filter(pk=consent.pk).update(relation=code)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0004_record_versions"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="consent",
            name="relation",
            field=models.CharField(
                choices=CHOICES, max_length=30, verbose_name="relation to the client"
            ),
        ),
        migrations.AlterField(
            model_name="historicalconsent",
            name="relation",
            field=models.CharField(
                choices=CHOICES, max_length=30, verbose_name="relation to the client"
            ),
        ),
    ]
