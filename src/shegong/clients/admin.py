from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import TargetGroup, VisitPolicy
from .schedule import refresh_all_due


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    """District-defined target groups beside the eight of R3.0."""

    list_display = ["name", "code", "aliases", "is_builtin", "order"]
    readonly_fields = ["is_builtin"]


@admin.register(VisitPolicy)
class VisitPolicyAdmin(SimpleHistoryAdmin):
    """Visit frequencies are district configuration."""

    list_display = ["__str__", "risk_tier", "group", "interval", "working_days"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_all_due()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        refresh_all_due()
