"""The portal's sessions where the cache is shared (``SESSION_ENGINE``): Django's
``cached_db`` (read from the cache, written to both), whose database writes do not wait
for the disk.

A session is written on nearly every step a resident takes through a questionnaire, and
waiting for PostgreSQL to flush each commit to disk was a quarter of such a step's time.
A database server that crashed could lose the last fraction of a second of session writes;
the cache still holds them, and nothing else is written this way: the answers sent, and
every other write, commit as before."""

from django.contrib.sessions.backends import cached_db
from django.db import connections, router, transaction


class SessionStore(cached_db.SessionStore):
    def save(self, must_create=False):
        alias = router.db_for_write(self.model)
        connection = connections[alias]
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            # In a transaction of the view's own, the setting would cover its writes too.
            return super().save(must_create)
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            return super().save(must_create)
