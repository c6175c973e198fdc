"""Accountwise settings, read from environment variables.

Every value has a default that runs locally with no set-up: SQLite under
./data, console e-mail, and a secret key generated once into the data
directory. Production deployments set SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL explicitly.
"""

import datetime
import importlib.util
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from accountwise.lib.env import env_bool, env_choice, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = env_path("DATA_DIR", Path.cwd() / "data")


def _secret_key() -> str:
    configured = env_str("SECRET_KEY", "")
    if configured:
        return configured

    # A local instance keeps its generated key so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "accountwise.core",
    "accountwise.users",
    "accountwise.accounts",
    "accountwise.contracts",
    "accountwise.opportunities",
    "accountwise.plans",
    "accountwise.documents",
    "accountwise.transfer",
    "accountwise.notifications",
    "accountwise.customfields",
    "accountwise.portfolio",
    "accountwise.reports",
    "accountwise.history",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_htmx",
    "simple_history",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accountwise.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accountwise.users.sessions.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "accountwise.urls"
WSGI_APPLICATION = "accountwise.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accountwise.core.context_processors.organisation",
            ],
            "builtins": ["accountwise.core.templatetags.accountwise"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'accountwise.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers continue while the import or a form writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "users:login"

# Login protection with django-axes: after AXES_FAILURE_LIMIT failed logins for one
# username from one IP address, that pair is locked out for AXES_COOLOFF_MINUTES.
# A successful login resets the count. API tokens do not go through this backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accountwise.users.views.lockout"
# Reverse proxies in front of the web server that append the client's address to
# X-Forwarded-For. With 0, clients connect directly and REMOTE_ADDR is their address.
# Behind a proxy, 0 would give every client the proxy's address.
ACCOUNTWISE_TRUSTED_PROXY_COUNT = env_int("ACCOUNTWISE_TRUSTED_PROXY_COUNT", 0)
if ACCOUNTWISE_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        f"ACCOUNTWISE_TRUSTED_PROXY_COUNT={ACCOUNTWISE_TRUSTED_PROXY_COUNT} must be 0 or more: "
        "the number of reverse proxies in front of the web server."
    )
AXES_CLIENT_IP_CALLABLE = "accountwise.users.client_ip.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Hashed file names, cached for a year by browsers, need `accountwise collectstatic`
# (make run does it). Until it has run for this DATA_DIR, the files are served
# straight from the apps under their plain names, so the pages still work.
_STATIC_COLLECTED = (STATIC_ROOT / "staticfiles.json").exists()
WHITENOISE_USE_FINDERS = not _STATIC_COLLECTED
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if _STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
# Nothing serves MEDIA_URL: uploaded documents are read only by the download
# view, which checks the permission policy first.
MEDIA_ROOT = DATA_DIR / "media"


def document_storage_config() -> dict:
    """Return the STORAGES entry for uploaded documents, chosen by DOCUMENT_STORAGE.

    "local" (the default) keeps them under MEDIA_ROOT; "s3" keeps them in an
    S3-compatible bucket through django-storages, which must be installed.
    """
    kind = env_str("DOCUMENT_STORAGE", "local").strip().lower()
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"DOCUMENT_STORAGE={kind!r} is not a storage; use local or s3.")

    bucket = env_str("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        raise ImproperlyConfigured("DOCUMENT_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME, the bucket to keep documents in.")
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "DOCUMENT_STORAGE=s3 needs django-storages and boto3; install them with "
            "pip install -r requirements/s3.txt."
        )
    options = {
        "bucket_name": bucket,
        # The bucket's own policy decides access, which must stay private: with no ACL
        # and signed URLs nothing is public, and downloads go through Accountwise.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    for option, variable in [
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
    ]:
        if value := env_str(variable, ""):
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES["documents"] = document_storage_config()
# Uploaded import files and rejects files are customer data too: private, and in
# the same storage as documents, so that every app server can read them.
STORAGES["imports"] = document_storage_config()

# E-mail goes to the console until EMAIL_HOST names an SMTP server.
# EMAIL_BACKEND overrides either choice.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds an SMTP connection may stall before the send counts as failed and is retried.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "accountwise@localhost")

# Address of this site as users reach it, for the links in e-mails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Seconds between two runs of send_notifications in `accountwise worker`.
WORKER_INTERVAL = env_int("WORKER_INTERVAL", 900)
# A failed notification e-mail is retried on each run until this many attempts.
NOTIFICATION_EMAIL_MAX_ATTEMPTS = env_int("NOTIFICATION_EMAIL_MAX_ATTEMPTS", 100)
# Days a deleted account, contract or opportunity stays restorable before purge_deleted removes it.
ACCOUNTWISE_DELETED_RETENTION_DAYS = env_int("ACCOUNTWISE_DELETED_RETENTION_DAYS", 30)

# The REST API under /api/v1/: personal tokens or the browser session, cursor pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accountwise.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["accountwise.api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "accountwise.api.pagination.Cursor",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Accountwise API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Redoc's default fonts, Roboto and Montserrat, come from Google Fonts, which the Redoc page does
    # not load. These system fonts, a subset of Bootstrap's, keep the page in the site's look.
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
                "headings": {"fontFamily": 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'},
                "code": {"fontFamily": 'SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace'},
            }
        }
    },
    "COMPONENT_SPLIT_REQUEST": True,
    # Tags operations by resource ("accounts", "contracts") rather than all as "v1".
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        # Accounts and contracts share these choices: active or archived.
        "ActiveArchivedEnum": "accountwise.accounts.models.AccountStatus",
        "DocumentKindEnum": "accountwise.documents.models.DocumentKind",
        "StageKindEnum": "accountwise.opportunities.models.StageKind",
        "OpportunityStatusEnum": "accountwise.opportunities.models.OpportunityStatus",
        "PlanStatusEnum": "accountwise.plans.models.PlanStatus",
    },
}
# Requests one API token may make, as DRF reads a rate: "1200/hour", "60/minute".
API_TOKEN_RATE = env_str("API_TOKEN_RATE", "1200/hour")

# ACCOUNTWISE_ENV=production is a site served over HTTPS: cookies are sent over HTTPS
# only, http requests are redirected, and the HSTS header makes browsers use HTTPS.
# The default, "local", serves plain http on loopback, as `make run` does.
ACCOUNTWISE_ENV = env_choice("ACCOUNTWISE_ENV", "local", ["local", "production"])
PRODUCTION = ACCOUNTWISE_ENV == "production"

SESSION_COOKIE_HTTPONLY = True
# A session ends after this many hours without a request. Requests extend it, saving
# the session at most once per SESSION_REFRESH_SECONDS (accountwise.users.sessions).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_HOURS", 8) * 3600
SESSION_REFRESH_SECONDS = 300
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a proxy that terminates TLS, either the proxy redirects http itself and this is
# false, or SECURE_PROXY_SSL_HEADER names the header that the proxy sets to "https".
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
if _proxy_ssl_header := env_str("SECURE_PROXY_SSL_HEADER", ""):
    # Trust this header only when the proxy overwrites it on every request it forwards.
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
# Seconds browsers keep to HTTPS after a visit: one year in production.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The Content Security Policy applies in every mode, so that the browser tests run under
# it. Scripts come only from the static files, or from an inline <script> that carries
# nonce="{{ request.csp_nonce }}"; event handler attributes (onclick=...) and eval are
# blocked. Inline styles stay allowed because templates use style="..." attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        # Bootstrap's CSS draws its icons (select arrows, close buttons) as data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Largest upload the import accepts, in megabytes.
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 20)
# Largest document a user may upload, in megabytes.
DOCUMENT_MAX_UPLOAD_MB = env_int("DOCUMENT_MAX_UPLOAD_MB", 25)
if DOCUMENT_MAX_UPLOAD_MB < 1:
    raise ImproperlyConfigured(f"DOCUMENT_MAX_UPLOAD_MB={DOCUMENT_MAX_UPLOAD_MB} must be 1 or more.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
