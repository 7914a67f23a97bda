"""System checks: every history table reaches the change log, and the retention holds."""

from django.conf import settings
from django.core import checks


@checks.register()
def history_models_declare_their_division(app_configs, **kwargs):
    from .registry import undeclared_history_models

    return [
        checks.Warning(
            f"{model._meta.label} keeps history but declares no history_division.",
            hint="Declare history_division (see common.models.WithHistory).",
            obj=model,
            id="audit.W002",
        )
        for model in undeclared_history_models()
    ]


@checks.register()
def retention_is_at_least_180_days(app_configs, **kwargs):
    days = getattr(settings, "SHEGONG_AUDIT_RETENTION_DAYS", 180)
    if days is not None and int(days) < 180:
        return [
            checks.Warning(
                f"SHEGONG_AUDIT_RETENTION_DAYS is {days}; audit records are kept 180 days anyway.",
                id="audit.W001",
            )
        ]
    return []
