"""The portal's sessions where the cache is shared (``SESSION_ENGINE``): Django's
``cached_db`` (read from the cache, written to both), whose database writes do not wait
for the disk.

A session is written on nearly every step a resident takes through a questionnaire, and
waiting for PostgreSQL to flush each commit to disk was a quarter of such a step's time.
A database server that crashed could lose the last fraction of a second of session writes;
the cache still holds them, and nothing else is written this way: the answers sent, and
every other write, commit as before."""

import logging

from django.contrib.sessions.backends import cached_db, db
from django.db import connections, router, transaction

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()  # which saves again, with a key
        alias = router.db_for_write(self.model)
        connection = connections[alias]
        if connection.vendor != "postgresql" or not connection.get_autocommit():
            # In a transaction of someone else's, the setting would cover their writes too.
            return super().save(must_create)
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            db.SessionStore.save(self, must_create)
        # Into the cache once committed, as cached_db does (a cache failing loses nothing:
        # the database has it).
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)
