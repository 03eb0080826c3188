"""Django's PostgreSQL backend (``DATABASES["default"]["ENGINE"]`` wherever
``DATABASE_URL`` names PostgreSQL), whose health check asks the server nothing while the
connection is quiet.

With ``CONN_HEALTH_CHECKS``, Django checks a kept connection before each request uses it,
so that a database restarted meanwhile costs nobody an error page. Its check is a
``SELECT 1``: a round trip on every request, which under load costs a step of the
questionnaire about a sixth of its time. A server that shuts down or ends a connection
says so on the connection's socket before closing it, so the socket is looked at first:
if nothing has arrived unasked, the connection is as the last answer left it. Only when
something has arrived (or the socket cannot be looked at) is the server asked.

A server that vanished without a word (its host cut off) leaves the socket quiet: the
request's first query then fails, as it would with no health check, and the connection
is made afresh for the next request."""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        try:
            watch = select.poll()
            watch.register(self.connection, select.POLLIN | select.POLLERR | select.POLLHUP)
            arrived = watch.poll(0)
        except (OSError, ValueError):
            arrived = True
        return not arrived or super().is_usable()
