from django.db import migrations

# R3.1–R3.6: the plan's service fields and the services it names under each.
CATALOGUE = [
    ("assistance", "社会救助", ["家庭经济状况调查评估", "建档访视", "需求分析", "照料护理", "康复训练",
                             "送医陪护", "社会融入", "能力提升", "心理疏导", "资源链接"]),
    ("elderly", "养老服务", ["巡访探视", "精神慰藉", "危机干预", "社会支持网络建设", "社区参与",
                          "权益保障", "咨询评估"]),
    ("children", "儿童关爱", ["走访核查", "家庭探访督导", "监护评估", "安全教育", "心理健康教育",
                           "隔代教育能力建设", "学业辅导"]),
    ("governance", "社区治理", ["五社联动", "社区社会组织培育", "志愿服务", "纠纷调处", "社区矫正",
                             "社区戒毒"]),
    ("affairs", "社会事务", ["婚姻家庭辅导", "殡葬政策咨询", "残疾人服务", "精神障碍社区康复",
                          "流浪乞讨人员救助"]),
    ("other", "其他行业领域", ["新时代文明实践", "网格化服务", "社会心理服务", "法律咨询"]),
]


def seed(apps, schema_editor):
    ServiceField = apps.get_model("records", "ServiceField")
    ServiceItem = apps.get_model("records", "ServiceItem")
    for order, (code, name, items) in enumerate(CATALOGUE, start=1):
        field, _ = ServiceField.objects.update_or_create(
            code=code, defaults={"name": name, "order": order}
        )
        for item_order, item in enumerate(items, start=1):
            ServiceItem.objects.get_or_create(
                field=field, name=item, defaults={"order": item_order}
            )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
