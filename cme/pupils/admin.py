"""Admin for reference data only. Children are not edited here: their changes must go
through the services, which audit them."""

from django.contrib import admin

from .models import LocalAuthority, Locality, School


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "status")
    search_fields = ("code", "name")


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name",)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "laestab", "urn", "school_type", "phase", "status", "locality")
    list_filter = ("school_type", "phase", "status", "locality")
    search_fields = ("name", "laestab", "urn")
    fields = ("locality",)
    readonly_fields = ()
