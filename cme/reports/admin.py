"""Admin for the reports' reference data: the national attendance figure for each term."""

from django.contrib import admin

from .models import NationalAttendanceFigure


@admin.register(NationalAttendanceFigure)
class NationalAttendanceFigureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("term", "attendance_percent", "source")
