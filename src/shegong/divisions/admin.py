from django.contrib import admin

from .models import Division


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    """Read-only: divisions change only through ``load_divisions``."""

    list_display = ["code", "name", "level", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
