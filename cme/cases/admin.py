"""Admin for the council's own reference data: where reasonable enquiries are made."""

from django.contrib import admin

from .models import EnquirySource


@admin.register(EnquirySource)
class EnquirySourceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "due_days", "is_active", "order")
    list_editable = ("due_days", "is_active", "order")
    list_filter = ("kind", "is_active")
