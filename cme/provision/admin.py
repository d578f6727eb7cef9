"""Admin for provision's reference data: each locality's panel and who sits on it. Cases'
provision is changed only through the pages (and their services), never here."""

from django.contrib import admin

from .models import Panel


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("locality",)
    filter_horizontal = ("members",)
