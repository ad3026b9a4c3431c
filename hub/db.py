"""Prepared statements on PostgreSQL, for the few hot statements that are worth it.

Django binds parameters on the client and prepares nothing (``prepare_threshold`` is set in the database
options, hub.settings, for the cursors below only). A statement run through :func:`prepared_cursor` binds
them on the server and is prepared on its first run on a connection: PostgreSQL plans it once per
connection instead of on every run, which for the door's scan took longer than running it.
"""

import psycopg
from django.db import connection


class PreparedCursor(psycopg.Cursor):
    def execute(self, query, params=None, *, prepare=True, binary=None):
        return super().execute(query, params, prepare=prepare, binary=binary)

    def _send_query_prepared(self, name, pgq, *, binary=None):
        self._query = pgq  # psycopg keeps the query it ran only when unprepared; Django's query log reads it
        super()._send_query_prepared(name, pgq, binary=binary)


def prepared_cursor():
    """A cursor of the default connection (PostgreSQL) that prepares what it runs; logged as Django's are."""
    connection.ensure_connection()
    raw = PreparedCursor(connection.connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
