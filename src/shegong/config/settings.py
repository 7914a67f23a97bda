"""Settings for shegong, driven by environment variables (see README, "Deploy")."""

import base64
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from shegong.config import devkeys

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SHEGONG_VAR_DIR", BASE_DIR / "var"))
NODE_MODULES = Path(os.environ.get("SHEGONG_NODE_MODULES", BASE_DIR / "node_modules"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("SHEGONG_DEBUG")
# Both keys come from the environment. Only a development checkout (DEBUG) may fall back to
# the files `make run` writes under var/ (python -m shegong.config.devkeys); anywhere else a
# missing key stops the start, so two servers can never run on two different keys.
SECRET_KEY = os.environ.get("SHEGONG_SECRET_KEY", "")
SHEGONG_FIELD_KEY = os.environ.get("SHEGONG_FIELD_KEY", "")
# Earlier secret keys, comma-separated, after a rotation: sessions signed and audit chains
# hashed under them still verify (audit.chain).
SECRET_KEY_FALLBACKS = [
    key for key in os.environ.get("SHEGONG_SECRET_KEY_FALLBACKS", "").split(",") if key
]
if DEBUG:
    SECRET_KEY = SECRET_KEY or devkeys.read(VAR_DIR, devkeys.SECRET_KEY_FILE)
    SHEGONG_FIELD_KEY = SHEGONG_FIELD_KEY or devkeys.read(VAR_DIR, devkeys.FIELD_KEY_FILE)
_missing = [
    name
    for name, value in (
        ("SHEGONG_SECRET_KEY", SECRET_KEY),
        ("SHEGONG_FIELD_KEY", SHEGONG_FIELD_KEY),
    )
    if not value
]
if _missing:
    raise ImproperlyConfigured(
        f"{' and '.join(_missing)} not set. In production set them in the environment "
        "(README, 'Deploy on PostgreSQL + Redis'). For development use `make run`, or run "
        "`python -m shegong.config.devkeys` (it writes keys under var/) and set SHEGONG_DEBUG=1."
    )
try:
    if len(base64.b64decode(SHEGONG_FIELD_KEY, validate=True)) != 32:
        raise ValueError
except ValueError:
    raise ImproperlyConfigured("SHEGONG_FIELD_KEY must be 32 bytes, base64-encoded.") from None

ALLOWED_HOSTS = os.environ.get("SHEGONG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("SHEGONG_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    # API tokens stored hashed, with an expiry (django-rest-knox); its admin is removed.
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "axes",
    "csp",
    # Two-factor login: TOTP devices and single-use recovery codes (django-otp).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "shegong.common",
    "shegong.access",
    "shegong.divisions",
    "shegong.notifications",
    "shegong.network",
    "shegong.people",
    "shegong.clients",
    "shegong.visits",
    "shegong.referrals",
    "shegong.cases",
    "shegong.activities",
    "shegong.purchasing",
    "shegong.records",
    "shegong.audit",
    "shegong.accounts",
    "shegong.cockpit",
    "shegong.reminders",
    "shegong.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "shegong.common.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Half-logged-in sessions (second factor, enrolment, a password to change) reach only
    # the pages that finish the login.
    "shegong.accounts.middleware.LoginPolicyMiddleware",
    "shegong.common.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so lockouts see the authenticated request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shegong.config.urls"
WSGI_APPLICATION = "shegong.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shegong.accounts.context_processors.access",
                "shegong.cockpit.context_processors.menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'shegong.sqlite3'}"),
        conn_max_age=int(os.environ.get("SHEGONG_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The server's threads and the job worker write to one file: WAL lets readers go on
    # while one writes, IMMEDIATE takes the write lock when a transaction starts (a
    # deferred one that later writes fails at once with "database is locked" instead of
    # waiting), and the busy timeout makes a writer wait its turn rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("SHEGONG_SQLITE_TIMEOUT", "30")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Province-wide coverage queries cost just above the JIT threshold: PostgreSQL then
    # spends ~0.9 s compiling a query that runs in 60 ms (docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The configuration role's admin permissions (nobody is a superuser).
    "shegong.access.backends.ConfigAdminBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "shegong.access.validators.CharacterClassValidator"},
    {"NAME": "shegong.access.validators.PasswordHistoryValidator"},
]
# Messages live in the session, never in a cookie: one carries a generated first password.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Passwords (GB/T 22239): changed at least every SHEGONG_PASSWORD_MAX_AGE_DAYS days (0: never
# expire), none of the last SHEGONG_PASSWORD_HISTORY reused. A password set by somebody else
# (generated at creation, an administrator's reset) is changed at the first login.
SHEGONG_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("SHEGONG_PASSWORD_MAX_AGE_DAYS", "90"))
SHEGONG_PASSWORD_HISTORY = int(os.environ.get("SHEGONG_PASSWORD_HISTORY", "5"))
# API tokens (django-rest-knox): only their hash is stored; each expires after this many hours
# and all of an account's are revoked when its password changes or it is deactivated.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=float(os.environ.get("SHEGONG_TOKEN_TTL_HOURS", "10"))),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": None,
}
# Two factors (django-otp): the name authenticator apps show, and back-off after wrong codes.
OTP_TOTP_ISSUER = os.environ.get("SHEGONG_OTP_ISSUER", "shegong")

# GB/T 22239 practice: lock after 5 failures for 5 minutes; log out after 10 idle minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("SHEGONG_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SHEGONG_LOCKOUT_MINUTES", "5")))
# Audit and login records are kept this many days, never fewer than 180 (等保 level 3).
SHEGONG_AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("SHEGONG_AUDIT_RETENTION_DAYS", "180")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
SESSION_COOKIE_AGE = int(os.environ.get("SHEGONG_IDLE_MINUTES", "10")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# HTTPS switches, all off for `make run` (plain HTTP on localhost). In production set
# SHEGONG_HTTPS=1 (README, "Deploy"): secure cookies, a redirect to HTTPS and a year of HSTS;
# each can be tuned on its own. Behind a TLS-terminating proxy also set
# SHEGONG_PROXY_SSL_HEADER=1 so that the proxy's X-Forwarded-Proto says the request was HTTPS
# (only when the proxy sets that header itself and the app is not reachable around it).
HTTPS = env_bool("SHEGONG_HTTPS")
SESSION_COOKIE_SECURE = env_bool("SHEGONG_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SHEGONG_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SHEGONG_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SHEGONG_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SHEGONG_HSTS_PRELOAD", HTTPS)
if env_bool("SHEGONG_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts from this site only, never inline (the
# templates keep their behaviour in static/shegong/*.js). Styles allow inline attributes,
# which Bootstrap components, ECharts and Swagger UI set.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the finders so `make run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
# Uploads hold personal data: readable by the server's account only (manage.py and wsgi.py
# also set umask 077, so the SQLite file and the cache are created 0600 / 0700).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "shegong.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Depth-limited JSON, and no control characters or unbounded strings in any body.
    "DEFAULT_PARSER_CLASSES": [
        "shegong.common.parsers.JSONParser",
        "shegong.common.parsers.FormParser",
        "shegong.common.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "shegong.common.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "shegong.common.schema.AutoSchema",
    "EXCEPTION_HANDLER": "shegong.common.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "shegong API",
    "DESCRIPTION": "社会工作三级服务体系管理平台 REST API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, wherever a serializer uses it (`manage.py spectacular
    # --fail-on-warn` stays quiet; tests/integration/test_api_contract.py checks it).
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "shegong.network.models.UnitKind",
        "UnitStatusEnum": "shegong.network.models.UnitStatus",
        "ReferralStatusEnum": "shegong.referrals.models.Status",
        "EvaluationKindEnum": "shegong.purchasing.models.EvaluationKind",
        "ClosureReasonEnum": "shegong.cases.models.ClosureReason",
        "GenderEnum": "shegong.people.models.Gender",
        "ProcurementMethodEnum": "shegong.purchasing.models.ProcurementMethod",
        "GradeEnum": "shegong.purchasing.models.Grade",
        "RiskTierEnum": "shegong.clients.models.RiskTier",
    },
}

# Background jobs (large imports): queued in the database and run by `manage.py db_worker`
# (`make run` starts one). SHEGONG_TASKS_BACKEND=immediate runs them inside the request.
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[os.environ.get("SHEGONG_TASKS_BACKEND", "database")]
    }
}
# A background import's upload (ID numbers in clear) waits this long for the worker, then
# is deleted and its job failed (manage.py purge_stale_imports, the worker, every upload).
SHEGONG_IMPORT_MAX_WAIT_HOURS = int(os.environ.get("SHEGONG_IMPORT_MAX_WAIT_HOURS", "24"))
# Days within which the author of a visit or service record corrects or voids it; after
# that, the station of the client's town (station head / social worker) does.
SHEGONG_CORRECTION_DAYS = int(os.environ.get("SHEGONG_CORRECTION_DAYS", "7"))

# Reminders and notifications (issue 10): e-mail through Django's e-mail backend (SMTP
# here; set SHEGONG_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend to print).
# WeCom / DingTalk robot addresses and secrets are per unit, encrypted in the database.
EMAIL_BACKEND = os.environ.get(
    "SHEGONG_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("SHEGONG_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SHEGONG_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SHEGONG_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SHEGONG_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SHEGONG_EMAIL_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("SHEGONG_EMAIL_SSL", "") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("SHEGONG_EMAIL_FROM", "shegong@localhost")
# The site's address, for links in e-mails and robot messages (e.g. https://sg.example.cn).
SHEGONG_SITE_URL = os.environ.get("SHEGONG_SITE_URL", "")
# The daily digest goes out on the first `send_reminders` run at or after this hour.
SHEGONG_DIGEST_HOUR = int(os.environ.get("SHEGONG_DIGEST_HOUR", "7"))

# The cache carries a job's progress from the worker to the pages: it must be shared
# between processes, so files by default and Redis in production.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# Certificate tiers that count as "certified" for R2.10 room staffing.
SHEGONG_CERTIFIED_TIERS = os.environ.get(
    "SHEGONG_CERTIFIED_TIERS", "worker,assistant,intermediate,senior"
).split(",")
# R1 milestones: (code, date, what must hold).
SHEGONG_DISTRICT_CODE = os.environ.get("SHEGONG_DISTRICT_CODE", "500112")

# Accounts lock per username (GB/T 22239); offices share one NAT address, so locking the
# address would lock out a whole town.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SHEGONG_LOG_LEVEL", "WARNING")},
}

SITE_NAME = _("Social Work Three-Level Service System")
