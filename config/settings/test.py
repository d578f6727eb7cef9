"""Test overrides: fast hashing, in-memory cache, tasks run at once."""

from __future__ import annotations

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests exercise rate limits on a per-process cache on purpose.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
NOTIFY_EMAIL_SENDER = "cme.lib.notify.RecordingSender"
NOTIFY_TEMPLATES = {
    "referral_acknowledgement": "00000000-0000-4000-8000-000000000001",
    "service_notification": "00000000-0000-4000-8000-000000000002",
    "weekly_digest": "00000000-0000-4000-8000-000000000003",
}
