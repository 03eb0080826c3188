"""Settings for DiT Portal, read from the environment (12-factor).

One module for every deployment. ``DJANGO_ENV=production`` switches on the production
hardening and makes every secret mandatory; everything else has a safe embedded default
(SQLite, eager Celery, console mail) so ``make run`` works on a fresh machine.
"""

import datetime
import sys
from pathlib import Path

import environ
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="local")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=False)

# Under the test runner (pytest, or DJANGO_ENV=test for the processes tests start).
TESTING = DJANGO_ENV == "test" or "pytest" in sys.modules

# The committed development key signs nothing outside a developer's machine or the tests:
# started any other way (gunicorn by hand with DEBUG off, say) the portal refuses to run.
DEVELOPMENT_SECRET_KEY = "local-development-only-not-a-secret"  # noqa: S105 - public on purpose
SECRET_KEY = env.str("SECRET_KEY", default="")
if SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
    if PRODUCTION or not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. A deployment sets DJANGO_ENV=production and a SECRET_KEY "
            "of its own; on a developer's machine set DEBUG=true to use the development key."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

if PRODUCTION:
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "home",
    "opendata",
    "recommendations",
    "news",
    "notifications",
    "accounts",
    "surveys",
    "common",
    "reporting",
    "milestones",
    "consultation",
    "employers",
    "network",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "csp",
    "axes",
    "auditlog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "common.middleware.UnreadableAddressMiddleware",
    "opendata.middleware.OpenDataConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "common.middleware.PrivateForSignedInMiddleware",
    "accounts.middleware.StaffRequireMFAMiddleware",
    "common.middleware.DatabaseUnavailableMiddleware",
    # Last, so it turns a locked-out sign-in anywhere into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dit_portal.urls"
WSGI_APPLICATION = "dit_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "common.context_processors.portal",
            ],
        },
    },
]

# Widgets render through the project's templates, so templates/includes/widgets is found.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, for the test database: tests can then drop the connection to
    # check how the portal behaves when the database goes away.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
    # Requests at the same moment (a page and its service worker, two tablets sending) wait
    # their turn to write: each transaction takes the write lock as it begins, rather than
    # two reading transactions deadlocking when both would write ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, whose health check asks nothing of a quiet connection (common/postgresql).
    DATABASES["default"]["ENGINE"] = "common.postgresql"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Rate limits and sign-in lockouts are counted here: production needs one cache shared
    # by every worker (Redis, say), so it has no default.
    "default": env.cache("CACHE_URL")
    if PRODUCTION
    else env.cache("CACHE_URL", default="locmemcache://"),
    # Ready-rendered public pages and parts of them (common/kept_pages.py): each process's
    # own memory, kept consistent by revision tokens read from the database.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # What each signed-in account may do (accounts.models.User.access): each process's own
    # memory, kept right by each account's access stamp; apart from the pages, so that
    # thousands of members signing in never crowd them out.
    "access": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "access",
        "OPTIONS": {"MAX_ENTRIES": 10000},
    },
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's, with one Redis client kept for each connection pool (common/caches.py).
    CACHES["default"]["BACKEND"] = "common.caches.RedisCache"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: it refuses a locked-out sign-in before any other backend checks a password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email is the login, verification is mandatory, rate limits stay at allauth's
# defaults (ACCOUNT_RATE_LIMITS is deliberately not set).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[DiT Portal] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Staff roles land on their dashboard after signing in (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "DiT Portal"
# allauth's forms with the portal's labels: sentence case, no placeholders (accounts/forms.py).
ACCOUNT_FORMS = {
    name: f"accounts.forms.{form}"
    for name, form in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "add_email": "AddEmailForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "reauthenticate": "ReauthenticateForm",
        "confirm_reauthentication_code": "ConfirmReauthenticationCodeForm",
        "confirm_login_code": "ConfirmLoginCodeForm",
    }.items()
}
MFA_FORMS = {
    "authenticate": "accounts.forms.AuthenticateForm",
    "reauthenticate": "accounts.forms.MFAReauthenticateForm",
    "activate_totp": "accounts.forms.ActivateTOTPForm",
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "6.6.0"
# GOV.UK styles for the inputs the template pack does not name itself.
CRISPY_CLASS_CONVERTERS = {
    name: "govuk-input"
    for name in ("numberinput", "urlinput", "dateinput", "datetimeinput", "timeinput")
}

LANGUAGE_CODE = "en-gb"
# The resident journey's languages (issue 18: Hackney's community languages), each named in
# itself, as a language switcher names them. Everything else is in English.
LANGUAGES = [
    ("en-gb", "English"),
    ("tr", "Türkçe"),
    ("pl", "Polski"),
    ("bn", "বাংলা"),
    ("yi", "ייִדיש"),
]
# Django knows Hebrew, Arabic and others run right to left, but not Yiddish.
LANGUAGES_BIDI = [*global_settings.LANGUAGES_BIDI, "yi"]
# The languages whose catalogue (locale/) a fluent speaker has reviewed, as the council's
# translators confirm: the portal's own words, the consent a resident gives among them. A
# consultation is offered in a language only once this names it and every one of the
# consultation's own texts in it is reviewed too. The catalogues shipped are drafts: none.
INTERFACE_LANGUAGES_REVIEWED = env.list("INTERFACE_LANGUAGES_REVIEWED", default=[])
# The portal's catalogues (make messages), and Django's own messages in the languages Django
# does not ship (Yiddish).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "django"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (meeting papers) go through Django's storage API: on this machine's disk by
# default; an S3-compatible store in production by naming its backend (django-storages'
# "storages.backends.s3.S3Storage", say, with its AWS_* settings in the environment).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"  # never served as such: files go out through views that check access
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
STORAGES = {
    "default": {
        "BACKEND": env.str(
            "FILE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production WhiteNoise serves straight from the finders (no collectstatic needed),
# so runserver with DEBUG off, as the error pages are tried, still has its CSS.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A mail server that accepts the connection and then hangs must not hold a task forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="DiT Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: without a broker every task runs eagerly in the web process, so the embedded
# default needs nothing but Python.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
if CELERY_TASK_ALWAYS_EAGER:
    # Never touched while tasks run eagerly; set so nothing tries Celery's default AMQP.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# A web request must never hang on an unreachable broker: publishing gives up quickly and
# the periodic scans pick up whatever was not queued.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.2}

# Sessions are read from the shared cache and written through to the database, so that
# every signed-in page and every step of a resident's answers reads none from the database,
# and a cache emptied or restarted loses none (a draft, a sign-in). Only where the cache is
# shared by every process (Redis, as production must have): with a cache in each process's
# own memory, one process would read a session another has since changed.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.db"
    if CACHES["default"]["BACKEND"].endswith(".LocMemCache")
    else "common.sessions"
)

# Security. Production turns on every hardening switch; local keeps plain HTTP working.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No page of the portal uses the camera, microphone, location, payment or similar browser
# features: none may, nor may anything embedded in it.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "encrypted-media", "fullscreen", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "picture-in-picture", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip
if env.bool("BEHIND_TLS_PROXY", default=PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

ADMIN_URL = env.str("ADMIN_URL", default="admin/")

# Content Security Policy: everything from the portal itself, no inline script or style
# anywhere (charts are server-drawn SVG), nothing may frame the portal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in lockout (django-axes) on top of allauth's rate limits, for every way in,
# the admin included: a person-and-address pair is locked out after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.access.login_identifier"
AXES_CLIENT_IP_CALLABLE = "common.ratelimit.client_address"
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_RESET_ON_SUCCESS = True
# Collect the least: failed attempts only, no log of every successful sign-in.
AXES_DISABLE_ACCESS_LOG = True

# Audit history (django-auditlog) of what staff and admins edit: who changed what, when.
AUDITLOG_DISABLE_REMOTE_ADDR = True
# Loading data (loaddata, restoring a test database) is not an edit by anyone.
AUDITLOG_DISABLE_ON_RAW_SAVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "redact": {
            "()": "common.logging.RedactSecrets",
            # Every link that is its own permission: invitation links to the employer
            # survey, reply links, personal calendar addresses, and the links in emails
            # that change or stop what someone is sent.
            "patterns": [
                r"(/employers/invitation/)[^/\s?\"']+",
                r"(/employers/emails/)[^/\s?\"']+",
                r"(/reply/)[^/\s?\"']+",
                r"(/calendar/)[^/\s?\"']+(?=\.ics)",
                r"(/consultation/contact/)[^/\s?\"']+",
                r"(/network/news/)[^/\s?\"']+",
            ],
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's request and server logs record every path, invitation tokens and all:
        # they go only through the handler that redacts them.
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # Failed sign-ins and lockouts are warnings; every successful one is not news.
        "axes": {"level": "WARNING"},
    },
}

# The programme's own settings.
PORTAL_NAME = _("DiT Portal")
COUNCIL_NAME = env.str("COUNCIL_NAME", default="London Borough of Hackney")
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="diversityintech@example.org")
# Calendar UIDs must stay the same wherever the portal is reached from.
CALENDAR_UID_DOMAIN = env.str("CALENDAR_UID_DOMAIN", default="dit-portal.hackney.gov.uk")

# How many proxies in front of the portal append to X-Forwarded-For (for rate limits).
NUM_PROXIES = env.int("NUM_PROXIES", default=1 if PRODUCTION else 0)

# Anything that leaves the staff area shows counts below this as "fewer than N".
SUPPRESSION_THRESHOLD = env.int("SUPPRESSION_THRESHOLD", default=5)
# How wide the interval a reader can work out for a suppressed small count must stay:
# SUPPRESSION_THRESHOLD - 1 means all of 0 to 4 for a "fewer than 5" (reporting.disclosure).
DISCLOSURE_PROTECTION_RANGE = env.int(
    "DISCLOSURE_PROTECTION_RANGE", default=SUPPRESSION_THRESHOLD - 1
)
# Publishing runs its audit in a Celery task; one still under way after this long has lost
# its worker, and staff may start again.
PUBLISHING_TIMEOUT_SECONDS = env.int("PUBLISHING_TIMEOUT_SECONDS", default=900)

# Consultation.
CONSULTATION_SUBMISSIONS_PER_HOUR = env.int("CONSULTATION_SUBMISSIONS_PER_HOUR", default=10)
CONTACT_RETENTION_DAYS = env.int("CONTACT_RETENTION_DAYS", default=730)
# Results figures are cached under a key that changes with the data, so this only bounds
# how long unused entries take up room.
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=3600)

# The portal's public address, for links in email sent outside a request (Celery tasks).
# By default the address `make run` serves on, so it follows PORT.
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")

# Employer survey invitation links stop working after this many days (staff can re-send).
INVITATION_EXPIRY_DAYS = env.int("INVITATION_EXPIRY_DAYS", default=28)

# The outbox (notifications.outbox): every email the portal sends. A message the mail
# server refuses is tried again 2, 4, 8… minutes later, up to EMAIL_MAX_ATTEMPTS times in
# all, then marked failed for staff to see. A claim older than EMAIL_CLAIM_TIMEOUT_SECONDS
# is a worker that died mid-send: the message goes again (EMAIL_TIMEOUT bounds each step of
# a send, so a live worker is far quicker). EMAIL_SCANS post what has become due before
# each round (reminders; cohorts' funded places released on their day, which tells those
# concerned; mentoring pairs' monthly check-in prompts; course evaluations as cohorts start
# and end); Celery beat runs a round every
# EMAIL_DISPATCH_SECONDS.
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=8)
EMAIL_CLAIM_TIMEOUT_SECONDS = env.int("EMAIL_CLAIM_TIMEOUT_SECONDS", default=600)
EMAIL_SCANS = [
    "notifications.reminders.scan",
    "network.services.release_due",
    "network.services.check_in_prompts_due",
    "network.services.evaluation_due",
]
CELERY_BEAT_SCHEDULE = {
    "dispatch-email": {
        "task": "notifications.tasks.dispatch_email",
        "schedule": env.int("EMAIL_DISPATCH_SECONDS", default=300),
    },
}

# Reminders (notifications.reminders): what occurrences they are about, and when they go.
REMINDER_SOURCES = [
    "milestones.reminders.MeetingSource",
    "network.reminders.SessionSource",
    "network.reminders.EventSource",
]
REMINDER_OFFSETS = [
    datetime.timedelta(hours=hours)
    for hours in env.list("REMINDER_OFFSET_HOURS", cast=int, default=[168, 24])
]
# An update of a meeting, session or event waits this long, so that a burst of edits sends
# one update with the final details (the dispatch sends it on its next round after). With
# no broker, and so no beat to send it later, it goes at once.
EMAIL_CHANGE_DELAY_SECONDS = env.int(
    "EMAIL_CHANGE_DELAY_SECONDS", default=0 if CELERY_TASK_ALWAYS_EAGER else 300
)
