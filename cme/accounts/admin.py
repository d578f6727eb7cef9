"""User administration for the administrator role."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import PartnerAgency, User


@admin.register(User)
class StaffUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("email", "first_name", "last_name", "role", "school", "agency", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("Role in this service", {"fields": ("role", "school", "agency", "job_title")}),
    )
    autocomplete_fields = ("school",)


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind")
