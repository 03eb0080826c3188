"""The portal's sessions where the cache is shared (``SESSION_ENGINE``): Django's
``cached_db`` (read from the cache, written to both), whose database writes do not wait
for the disk, each in one statement.

A session is written on nearly every step a resident takes through a questionnaire.
Django's own write is six round trips to PostgreSQL (begin, savepoint, update, release,
commit, and the flush to disk that the commit waits for); under load each costs the step
a wait for the processor. Here it is one statement, in a transaction of its own that
commits without waiting for the disk. A database server that crashed could lose the last
fraction of a second of session writes; the cache still holds them, and nothing else is
written this way: the answers sent, and every other write, commit as before."""

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.db import DatabaseError, IntegrityError, connections, router
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

# The setting lasts as long as the statement's own transaction (``is_local``); the commit
# at its end reads it.
NO_WAIT = "set_config('synchronous_commit', 'off', true) IS NOT NULL"


class SessionStore(cached_db.SessionStore):
    def _get_new_session_key(self):
        # 32 random characters. Django asks the cache and the database whether the key is
        # taken before using it (two round trips); the insert that makes the session
        # (``must_create``) refuses a taken one anyway, and Django then draws again.
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()  # which saves again, with a key
        connection = connections[router.db_for_write(self.model)]
        if connection.vendor != "postgresql" or not connection.get_autocommit():
            # In a transaction of someone else's, the setting would cover their writes too.
            return super().save(must_create)
        row = self.create_model_instance(self._get_session(no_load=must_create))
        table, key, data, expires = (
            connection.ops.quote_name(name)
            for name in (self.model._meta.db_table, "session_key", "session_data", "expire_date")
        )
        if must_create:
            sql = (
                f"INSERT INTO {table} ({key}, {data}, {expires}) SELECT %s, %s, %s WHERE {NO_WAIT}"
            )
            params = [row.session_key, row.session_data, row.expire_date]
        else:
            sql = f"UPDATE {table} SET {data} = %s, {expires} = %s WHERE {key} = %s AND {NO_WAIT}"  # noqa: S608
            params = [row.session_data, row.expire_date, row.session_key]
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                written = cursor.rowcount
        except IntegrityError:
            if must_create:
                raise CreateError from None
            raise
        except DatabaseError:
            # As Django's own store: a session that could not be written was interrupted.
            if not must_create:
                raise UpdateError from None
            raise
        if not written:
            # Deleted meanwhile (signed out elsewhere, cleared as expired).
            raise UpdateError
        # Into the cache once committed, as cached_db does (a cache failing loses nothing:
        # the database has it).
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)
