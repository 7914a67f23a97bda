from django.contrib import admin

from .models import TargetGroup


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    """District-defined target groups beside the eight of R3.0."""

    list_display = ["name", "code", "is_builtin", "order"]
    readonly_fields = ["is_builtin"]
