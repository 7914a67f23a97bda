from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    """Agencies are configuration until the purchased-services issue gives them pages."""

    list_display = ["name", "credit_code", "contact_person"]
    search_fields = ["name", "credit_code"]
