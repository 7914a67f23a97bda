from django.contrib import admin

from .models import ServiceField, ServiceItem


class ServiceItemInline(admin.TabularInline):
    model = ServiceItem
    extra = 1


@admin.register(ServiceField)
class ServiceFieldAdmin(admin.ModelAdmin):
    """The service catalogue is district configuration (seeded from R3.1–R3.6)."""

    list_display = ["name", "code", "order"]
    inlines = [ServiceItemInline]
