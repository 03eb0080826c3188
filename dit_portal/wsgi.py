"""WSGI entry point, for gunicorn: ``gunicorn dit_portal.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dit_portal.settings")

application = get_wsgi_application()

# The job advert checker's reading age reads a pronouncing dictionary the first time it is
# used (about a second): read it as the server starts, not in a visitor's first check.
from employers.adverts import plain  # noqa: E402 - after Django is set up

plain.warm_up()
