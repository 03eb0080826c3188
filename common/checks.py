"""System checks for how a deployment is configured."""

from django.conf import settings
from django.core import checks

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.security, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Rate limits and sign-in lockouts hold only if every worker counts in one cache."""
    if settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Error(
            "The default cache is kept in each process's own memory, so rate limits and "
            "sign-in lockouts do not hold across workers.",
            hint="Set CACHE_URL to a cache every worker shares, e.g. redis://host:6379/1.",
            id="common.E001",
        )
    ]
