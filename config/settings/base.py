"""Every setting of CME Tracker, read from the environment.

Development defaults are safe and need no server: an embedded SQLite database, a database
cache, console email. Production differs only by environment variables (docs/configuration.md).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from config.env import (
    env_bool,
    env_date_list,
    env_int,
    env_int_map,
    env_list,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

ENVIRONMENT = env_str("CME_ENVIRONMENT", "development")
IS_PRODUCTION = ENVIRONMENT == "production"

_DEV_SECRET = "insecure-development-key-never-use-in-production"  # noqa: S105 - refused below in production
SECRET_KEY = env_secret("DJANGO_SECRET_KEY", default=None if IS_PRODUCTION else _DEV_SECRET)
DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The council whose service this is: its name brands the header and documents.
COUNCIL_NAME = env_str("CME_COUNCIL_NAME", "Bath and North East Somerset Council")
COUNCIL_LA_CODE = env_str("CME_COUNCIL_LA_CODE", "800")
SERVICE_NAME = "Children missing education"
SUPPORT_EMAIL = env_str("CME_SUPPORT_EMAIL", "cme@example.org")
# How the public reaches the CME team (shown on the referral pages).
CME_TEAM_PHONE = env_str("CME_TEAM_PHONE", "01632 960 000")
CME_TEAM_EMAIL = env_str("CME_TEAM_EMAIL", SUPPORT_EMAIL)
# The council's postal address, one line each, for the letterhead of letters to families.
COUNCIL_ADDRESS = env_list(
    "CME_COUNCIL_ADDRESS", default=["Council Offices", "1 Example Street", "Bath", "BA1 1AA"]
)
# Where the service is reached, for links in emails (no trailing slash).
SERVICE_URL = env_str("CME_SERVICE_URL", "http://localhost:8000").rstrip("/")

# Public referral form limits, per client address.
REFERRAL_PAGE_RATE = env_str("CME_REFERRAL_PAGE_RATE", "300/h")
REFERRAL_SEND_RATE = env_str("CME_REFERRAL_SEND_RATE", "10/h")
# Behind a proxy, the header that carries the client's address (for example
# HTTP_X_FORWARDED_FOR with a trusted proxy that overwrites it); else REMOTE_ADDR.
RATELIMIT_IP_META_KEY = env_str("CME_CLIENT_IP_HEADER") or None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "cme.web",
    "cme.audit",
    "cme.accounts",
    "cme.pupils",
    "cme.attendance",
    "cme.matching",
    "cme.transfers",
    "cme.referrals",
    "cme.returns",
    "cme.cases",
    "cme.provision",
    "cme.reports",
    "cme.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cme.accounts.middleware.LoginRequiredMiddleware",
    "cme.accounts.middleware.RequireMultiFactorMiddleware",
    "cme.web.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        # Pages: Jinja2 with the GOV.UK Frontend macros (docs/architecture.md C9).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "cme.accounts.context_processors.navigation",
                "cme.web.context_processors.service",
            ],
        },
    },
    {
        # The Django admin only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'cme.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the background worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

CACHES = {
    "default": {
        # A database cache is shared by every worker process, which rate limiting needs,
        # and needs no extra server. Set CACHE_URL=redis://… to use Redis instead.
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cme_cache",
    }
}
if env_str("CACHE_URL").startswith("redis"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("CACHE_URL"),
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in: django-allauth with TOTP for every member of staff.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "cme.accounts.adapter.StaffAccountAdapter"
ACCOUNT_FORMS = {"login": "cme.accounts.forms.StaffLoginForm"}
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("CME_LOGIN_RATE_LIMIT", "5/5m/ip,5/5m/key"),
    "login": "30/m/ip",
    "reset_password": "5/m/ip,3/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SERVICE_NAME
MFA_TOTP_TOLERANCE = 1

# Sessions end after this much inactivity; the warning appears WARNING minutes before.
SESSION_IDLE_MINUTES = env_int("CME_SESSION_IDLE_MINUTES", default=30)
SESSION_WARNING_MINUTES = env_int("CME_SESSION_WARNING_MINUTES", default=5)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=IS_PRODUCTION)
SECURE_HSTS_SECONDS = 31536000 if IS_PRODUCTION else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if IS_PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
    }
}

# How long a school can still see a pupil after the pupil leaves its roll (deletion returns).
SCHOOL_LEAVER_VISIBILITY_DAYS = env_int("CME_SCHOOL_LEAVER_VISIBILITY_DAYS", default=90)

# School returns: a duty the service can see (a removal in a roll import, a month without an
# attendance return) is overdue this many days after the return fell due with none made.
RETURNS_OVERDUE_AFTER_DAYS = env_int("CME_RETURNS_OVERDUE_AFTER_DAYS", default=5)
# Whether the authority asks for new pupil returns for pupils joining the most junior class on
# the first day of the school year (regulation 13(3)); without asking, those are exempt.
RETURNS_NEW_PUPILS_IN_JUNIOR_CLASS = env_bool(
    "CME_RETURNS_NEW_PUPILS_IN_JUNIOR_CLASS", default=False
)
# An unsent school return draft is deleted this many days after its last change.
RETURN_DRAFT_LIFETIME_DAYS = env_int("CME_RETURN_DRAFT_LIFETIME_DAYS", default=14)

# Importers refuse files larger than this many bytes.
IMPORT_MAX_BYTES = env_int("CME_IMPORT_MAX_BYTES", default=200 * 1024 * 1024)

# Attendance monitoring (cme.attendance; docs/attendance.md). A whole authority's year of
# register marks is ~360 MB of CSV, so attendance files have their own size limit.
ATTENDANCE_IMPORT_MAX_BYTES = env_int("CME_ATTENDANCE_IMPORT_MAX_BYTES", default=2 * 1024**3)
# The rules' thresholds (cme.attendance.rules.Thresholds), the law's and DfE's numbers unless
# changed here as name=number pairs, e.g. "part_time_weeks=4,failed_to_start_days=10".
ATTENDANCE_THRESHOLDS = env_list("CME_ATTENDANCE_THRESHOLDS", default=[])
# The policy's local thresholds: attendance below 85% is followed up, and the termly report
# to schools lists pupils below 90% (the post-placement threshold is a rule threshold above).
ATTENDANCE_LOCAL_THRESHOLD_PERCENT = env_int("CME_ATTENDANCE_LOCAL_THRESHOLD_PERCENT", default=85)
ATTENDANCE_TERMLY_REPORT_PERCENT = env_int("CME_ATTENDANCE_TERMLY_REPORT_PERCENT", default=90)
# Referral triage: a present mark within this many school days, in register data whose latest
# mark is no older than this many days, shows the child is attending.
ATTENDANCE_RECENT_SCHOOL_DAYS = env_int("CME_ATTENDANCE_RECENT_SCHOOL_DAYS", default=5)
ATTENDANCE_DATA_MAX_AGE_DAYS = env_int("CME_ATTENDANCE_DATA_MAX_AGE_DAYS", default=7)

# School transfers: Common Transfer Files larger than this are refused unread (import_ctf,
# uploads and the S2S inbox).
CTF_MAX_BYTES = env_int("CME_CTF_MAX_BYTES", default=20 * 1024 * 1024)
# The folder where files downloaded from S2S are dropped; empty: no inbox. `manage.py
# s2s_inbox` (run by cron or a systemd timer) imports each new file once, and makes a pass
# only when the last one is at least S2S_INBOX_EVERY_HOURS old.
S2S_INBOX_DIR = env_str("CME_S2S_INBOX_DIR", "")
S2S_INBOX_EVERY_HOURS = env_int("CME_S2S_INBOX_EVERY_HOURS", default=24)
# Roll-removal monitoring: school days (weekdays) a leaver with a named destination, or a
# Year 6 summer leaver, has to appear on a roll; and how far back each run looks.
TRANSITION_GRACE_SCHOOL_DAYS = env_int("CME_TRANSITION_GRACE_SCHOOL_DAYS", default=10)
ROLL_MONITOR_LOOKBACK_DAYS = env_int("CME_ROLL_MONITOR_LOOKBACK_DAYS", default=400)

# Case deadlines: school days allowed in a case state, per state ("checking=5,locating=20");
# states not named keep the defaults in cme/cases/deadlines.py.
CASE_DUE_SCHOOL_DAYS = env_int_map("CME_CASE_DUE_SCHOOL_DAYS", default={})
# The council's term start dates; a case whose whereabouts are unknown is re-checked at the
# start of each term. Past the last date listed, default dates (4 Jan, 15 Apr, 1 Sep) apply.
TERM_START_DATES = env_date_list("CME_TERM_START_DATES")
# The team emailed when a case concerns a service that owns one of its facts (empty: the
# notification is recorded on the case but not emailed).
SERVICE_NOTIFICATION_EMAILS = {
    "virtual_school": env_str("CME_VIRTUAL_SCHOOL_EMAIL"),
    "youth_offending_team": env_str("CME_YOUTH_OFFENDING_TEAM_EMAIL"),
    "send_team": env_str("CME_SEND_TEAM_EMAIL"),
}

# GOV.UK Notify: email to referrers and families. Without a key, emails are only logged.
NOTIFY_API_KEY = env_secret("NOTIFY_API_KEY", default="")
NOTIFY_EMAIL_SENDER = env_str("CME_NOTIFY_EMAIL_SENDER")
NOTIFY_TEMPLATES = {
    "referral_acknowledgement": env_str("NOTIFY_TEMPLATE_REFERRAL_ACKNOWLEDGEMENT"),
    "service_notification": env_str("NOTIFY_TEMPLATE_SERVICE_NOTIFICATION"),
    "weekly_digest": env_str("NOTIFY_TEMPLATE_WEEKLY_DIGEST"),
}

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "cme-tracker@example.org")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Uploaded originals (scanned letters, emails). Never served by URL: only through the
# download view, which checks access and logs the download.
MEDIA_ROOT = env_str("CME_MEDIA_ROOT", str(BASE_DIR / "var" / "media"))

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static_build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
if not IS_PRODUCTION:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # WeasyPrint logs every step of every letter it makes at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "cme.web.views.csrf_failure"
