"""One settings file, driven by environment variables with safe development defaults.

Every variable is documented in docs/configuration.md.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("WANGGE_DATA_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def development_secret_key(directory: Path) -> str:
    """Read, or create on first run, a random key kept under the data directory."""
    path = directory / "secret_key"
    if path.exists():
        return path.read_text().strip()
    directory.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


DEBUG = env_bool("WANGGE_DEBUG", True)
SECRET_KEY_IS_DEVELOPMENT = "WANGGE_SECRET_KEY" not in os.environ
SECRET_KEY = os.environ.get("WANGGE_SECRET_KEY") or development_secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("WANGGE_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("WANGGE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks.backends.database",
    "wangge.core",
    "wangge.accounts",
    "wangge.audit",
    "wangge.privacy",
    "wangge.regions",
    "wangge.staff",
    "wangge.people",
    "wangge.cases",
    "wangge.mediation",
    "wangge.petitions",
    "wangge.legalaid",
    "wangge.reports",
    "wangge.portal",
    "wangge.demo",
    "wangge.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wangge.accounts.middleware.SessionTouchMiddleware",
    "wangge.audit.middleware.UnknownSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wangge.accounts.middleware.PasswordChangeRequiredMiddleware",
    "wangge.accounts.middleware.TotpEnrolmentRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "wangge.urls"
WSGI_APPLICATION = "wangge.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["wangge.accounts.backends.MembershipBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wangge.web.context_processors.platform",
                "wangge.cases.context_processors.unread_notifications",
                "wangge.portal.context.portal",
            ],
        },
    }
]


def database_from_url(url: str) -> dict[str, object]:
    """Translate postgres://user:password@host:port/name into a Django database entry."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL must start with postgres://, not {parts.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "wangge",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        # Prepared statements (psycopg's prepare_threshold) stay off unless asked for: they
        # need PgBouncer >= 1.21 with max_prepared_statements when it pools by transaction.
        "OPTIONS": {"prepare_threshold": int(os.environ["WANGGE_DB_PREPARE_THRESHOLD"])}
        if os.environ.get("WANGGE_DB_PREPARE_THRESHOLD")
        else {},
    }


def sqlite_database(path: Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
            # the start of a transaction, so two writers queue instead of failing mid-way.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        "TEST": {"NAME": os.environ.get("WANGGE_TEST_SQLITE") or None},
    }


DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": database_from_url(DATABASE_URL)
    if DATABASE_URL
    else sqlite_database(DATA_DIR / "wangge.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "wangge.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it, even before collectstatic
STATICFILES_DIRS: list[tuple[str, str]] = []
try:
    import xstatic.pkg.leaflet as xstatic_leaflet

    STATICFILES_DIRS.append(("leaflet", xstatic_leaflet.BASE_DIR))
except ImportError:  # pragma: no cover - leaflet is a hard dependency; this keeps mypy quiet
    pass
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
# Sessions end after this long without a request (each request renews it).
SESSION_COOKIE_AGE = int(os.environ.get("WANGGE_SESSION_IDLE_MINUTES", "30")) * 60
# The idle expiry slides with use, but the session is written at most once a minute
# (accounts.middleware.SessionTouchMiddleware), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
WANGGE_SESSION_TOUCH_SECONDS = int(os.environ.get("WANGGE_SESSION_TOUCH_SECONDS", "60"))
# Sign-in lockout: this many failures within the window lock the account (or the address)
# for the window, unless an administrator unlocks it sooner.
WANGGE_LOCKOUT_ACCOUNT_FAILURES = int(os.environ.get("WANGGE_LOCKOUT_ACCOUNT_FAILURES", "5"))
# How long a purpose-bound full view of one record's personal data lasts (wangge.privacy).
WANGGE_UNMASK_MINUTES = int(os.environ.get("WANGGE_UNMASK_MINUTES", "10"))
WANGGE_LOCKOUT_ADDRESS_FAILURES = int(os.environ.get("WANGGE_LOCKOUT_ADDRESS_FAILURES", "20"))
WANGGE_LOCKOUT_MINUTES = int(os.environ.get("WANGGE_LOCKOUT_MINUTES", "30"))
# The second factor (TOTP): holders of these roles, and superusers, must set it up.
WANGGE_TOTP_REQUIRED_ROLES = env_list("WANGGE_TOTP_REQUIRED_ROLES", "district_admin,system_admin")
WANGGE_TOTP_ISSUER = os.environ.get("WANGGE_TOTP_ISSUER", "wangge")
SESSION_COOKIE_SECURE = env_bool("WANGGE_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "wangge.audit.views.csrf_failure"  # records the refusal in the audit log
# Audit entries older than this many days move to archive files (`wangge audit archive`);
# empty or 0 keeps them in the database forever. Under 180 is refused (a system check).
WANGGE_AUDIT_RETENTION_DAYS = int(os.environ.get("WANGGE_AUDIT_RETENTION_DAYS") or 0)
X_FRAME_OPTIONS = "DENY"

# Base-map tiles: none by default; the map draws the grids on a plain background.
WANGGE_TILE_URL = os.environ.get("WANGGE_TILE_URL", "")
WANGGE_TILE_ATTRIBUTION = os.environ.get("WANGGE_TILE_ATTRIBUTION", "")
# The region the deployment governs: the root of every scope and the map's home.
WANGGE_ROOT_REGION = os.environ.get("WANGGE_ROOT_REGION", "620502")
# Background work (imports, sweeps): queued in the database, run by `wangge worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "WANGGE_TASKS_BACKEND", "django_tasks.backends.database.DatabaseBackend"
        )
    }
}
# Uploaded register files larger than this are refused (bytes).
WANGGE_IMPORT_MAX_BYTES = int(os.environ.get("WANGGE_IMPORT_MAX_BYTES", 200 * 1024 * 1024))
# PostgreSQL: write imported rows with COPY (about 3x executemany); off = the portable path.
WANGGE_IMPORT_COPY = env_bool("WANGGE_IMPORT_COPY", True)

# Case photos: stored under the data directory, served only through the case's own page.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
WANGGE_PHOTO_MAX_BYTES = int(os.environ.get("WANGGE_PHOTO_MAX_BYTES", 8 * 1024 * 1024))
WANGGE_PHOTOS_PER_CASE_STEP = int(os.environ.get("WANGGE_PHOTOS_PER_CASE_STEP", "6"))
# Likely duplicates while reporting: same category, within this distance and these days.
WANGGE_DUPLICATE_METRES = int(os.environ.get("WANGGE_DUPLICATE_METRES", "150"))
WANGGE_DUPLICATE_DAYS = int(os.environ.get("WANGGE_DUPLICATE_DAYS", "7"))
# The outbound channel for notifications (SMS gateway, e-mail, WeCom webhook); the console
# backend writes them to the log.
WANGGE_NOTIFY_BACKEND = os.environ.get(
    "WANGGE_NOTIFY_BACKEND", "wangge.cases.notify.ConsoleBackend"
)
WANGGE_NOTIFY_WEBHOOK_URL = os.environ.get("WANGGE_NOTIFY_WEBHOOK_URL", "")
# Lead units are told when a case's due moment is this many working hours away.
WANGGE_NOTIFY_DUE_SOON_HOURS = float(os.environ.get("WANGGE_NOTIFY_DUE_SOON_HOURS", "4"))
# Each level above a unit acknowledges a special major-situation report within these hours,
# else it escalates (`wangge reports_escalate`).
WANGGE_SPECIAL_ACK_HOURS = float(os.environ.get("WANGGE_SPECIAL_ACK_HOURS", "2"))

# The residents' portal (docs/portal.md). Text messages to residents go through this gateway:
# the console backend logs them (the demo's one-time codes are read there); the webhook
# backend posts them to the intranet SMS gateway at WANGGE_SMS_WEBHOOK_URL.
WANGGE_SMS_BACKEND = os.environ.get("WANGGE_SMS_BACKEND", "wangge.portal.sms.ConsoleBackend")
WANGGE_SMS_WEBHOOK_URL = os.environ.get("WANGGE_SMS_WEBHOOK_URL", "")
# One-time codes: minutes valid, wrong tries allowed, sends per number a day and per address
# an hour, checks per address an hour.
WANGGE_OTP_MINUTES = int(os.environ.get("WANGGE_OTP_MINUTES", "10"))
WANGGE_OTP_ATTEMPTS = int(os.environ.get("WANGGE_OTP_ATTEMPTS", "5"))
WANGGE_OTP_PER_PHONE_DAY = int(os.environ.get("WANGGE_OTP_PER_PHONE_DAY", "10"))
WANGGE_OTP_PER_ADDRESS_HOUR = int(os.environ.get("WANGGE_OTP_PER_ADDRESS_HOUR", "30"))
WANGGE_OTP_CHECKS_PER_ADDRESS_HOUR = int(os.environ.get("WANGGE_OTP_CHECKS_PER_ADDRESS_HOUR", "60"))
# How long a proved number lets a resident act, in minutes.
WANGGE_PORTAL_SESSION_MINUTES = int(os.environ.get("WANGGE_PORTAL_SESSION_MINUTES", "30"))
# Requests a number may raise a day, and an address an hour; tracking look-ups per address.
WANGGE_PORTAL_REQUESTS_PER_PHONE_DAY = int(
    os.environ.get("WANGGE_PORTAL_REQUESTS_PER_PHONE_DAY", "10")
)
WANGGE_PORTAL_REQUESTS_PER_ADDRESS_HOUR = int(
    os.environ.get("WANGGE_PORTAL_REQUESTS_PER_ADDRESS_HOUR", "30")
)
WANGGE_PORTAL_LOOKUPS_PER_ADDRESS_HOUR = int(
    os.environ.get("WANGGE_PORTAL_LOOKUPS_PER_ADDRESS_HOUR", "60")
)
# The platform's address as residents reach it (e.g. https://wangge.example.gov.cn), for the
# links in text messages sent outside a request (closed, reopened); empty gives relative links.
WANGGE_SITE_URL = os.environ.get("WANGGE_SITE_URL", "").rstrip("/")
# Set to the header the reverse proxy puts the client's address in (e.g.
# HTTP_X_FORWARDED_FOR) only when such a proxy is in front; else REMOTE_ADDR is used.
WANGGE_TRUSTED_PROXY_HEADER = os.environ.get("WANGGE_TRUSTED_PROXY_HEADER", "")
# A report form's table may hold 1,000 rows of up to 20 columns; more is refused with a page
# that says so (templates/400.html), never half-read.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 25_000

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"]
        + ([urlsplit(WANGGE_TILE_URL.replace("{s}", "a")).netloc] if WANGGE_TILE_URL else []),
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WANGGE_LOG_LEVEL", "INFO")},
}
