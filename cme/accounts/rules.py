"""Registers the role table with django-rules (autodiscovered at start-up)."""

from .permissions import register_role_permissions

register_role_permissions()
