"""A Datasette plugin (entry point `telecom_monitor_search`): the search box of a monitor store finds what
people type, Chinese words of any length included.

Datasette turns the box's words into an FTS5 query with its SQL function `escape_fts` (each word quoted).
For a monitor store this plugin registers its own `escape_fts`, after Datasette's, which writes the query
for the store's rewritten index instead (pipelines/fulltext.py): one character becomes a prefix, a word
longer than the index's n-grams all of its n-grams, Traditional characters Simplified. Other databases in
the same Datasette keep Datasette's own function.
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl

from pipelines.fulltext import fts_query
from pipelines.store import has_monitor_index


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    if has_monitor_index(conn):
        conn.create_function("escape_fts", 1, lambda query: fts_query(query or ""), deterministic=True)
