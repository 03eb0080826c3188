"""Settings for `make bench`: the portal's own, plus a trivial view to compare against."""

from dit_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
