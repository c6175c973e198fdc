from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_page_queries(client, url) -> int:
    """Return the queries a GET of the page runs, leaving out the session write some backends add."""
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return sum(1 for query in captured if not _is_session_write(query["sql"]))


def _is_session_write(sql: str) -> bool:
    return "SAVEPOINT" in sql or sql.startswith('UPDATE "django_session"')
