from decimal import Decimal

from django.db import migrations

# Grade thresholds and the share of an instalment each grade makes payable (editable).
GRADES = [("excellent", 90, 100), ("good", 75, 100), ("fair", 60, 80), ("poor", 0, 50)]

# The evaluation sheet: R4.3's four dimensions plus finance; full marks add up to 100.
CRITERIA = [
    ("supervision", "按合同要求配备驻站（室）社会工作者，人员稳定", 8, ""),
    ("supervision", "按时报送月度进展和服务台账，资料真实完整", 7, ""),
    ("supervision", "接受购买主体和民政部门的监督检查，整改到位", 5, ""),
    ("effectiveness", "服务人数和人次达到合同目标", 12, "clients_served"),
    ("effectiveness", "个案服务规范，按期结案且目标达成", 10, "cases_closed_met"),
    ("effectiveness", "小组和社区活动按计划开展", 8, "group_sessions"),
    ("effectiveness", "服务对象满意度", 10, "satisfaction"),
    ("management", "项目计划、制度和档案管理规范", 8, ""),
    ("management", "督导、培训和风险管理落实", 7, ""),
    ("impact", "链接社会资源、带动志愿者和社区参与", 8, "referrals_completed"),
    ("impact", "服务经验总结、宣传和示范作用", 7, ""),
    ("finance", "资金专款专用，支出合规，票据齐全", 10, ""),
]

INDICATORS = [
    ("服务对象人数", "clients_served", None, "人", 20),
    ("低保对象服务人数", "clients_served", "dibao", "人", 10),
    ("留守儿童服务人数", "clients_served", "liushou_ertong", "人", 10),
    ("走访探视次数", "visits", None, "次", 15),
    ("个案开案数", "cases_opened", None, "个", 10),
    ("个案结案且目标达成数", "cases_closed_met", None, "个", 10),
    ("小组活动节数", "group_sessions", None, "节", 10),
    ("社区活动场次", "community_activities", None, "场", 10),
    ("转介完成数", "referrals_completed", None, "次", 5),
    ("服务时数", "service_hours", None, "小时", 10),
    ("个案满意度", "satisfaction", None, "分", 10),
]


def seed(apps, schema_editor):
    GradeRule = apps.get_model("purchasing", "GradeRule")
    Criterion = apps.get_model("purchasing", "Criterion")
    IndicatorTemplate = apps.get_model("purchasing", "IndicatorTemplate")
    TargetGroup = apps.get_model("clients", "TargetGroup")
    for grade, score, share in GRADES:
        GradeRule.objects.get_or_create(
            grade=grade, defaults={"min_score": score, "payable_share": share}
        )
    if not Criterion.objects.exists():
        for order, (dimension, name, weight, indicator) in enumerate(CRITERIA, start=1):
            Criterion.objects.create(
                dimension=dimension,
                name=name,
                weight=Decimal(weight),
                indicator=indicator,
                order=order,
            )
    for name, metric, group, unit_label, weight in INDICATORS:
        IndicatorTemplate.objects.get_or_create(
            name=name,
            defaults={
                "metric": metric,
                "target_group": TargetGroup.objects.filter(code=group).first() if group else None,
                "unit_label": unit_label,
                "default_weight": weight,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("purchasing", "0001_initial"), ("clients", "0002_target_groups")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
