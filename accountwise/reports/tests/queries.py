"""Check that a page issues the same number of queries on small and larger data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def assert_constant_queries(case, load, grow) -> None:
    """Load the page, grow the data, and check the page issues exactly as many queries again.

    The page is loaded once before counting, so that per-session work (such as
    the first save of a session) does not count. The count is measured rather
    than fixed, because the shared layout's queries change as other pages do.
    """
    load()
    with CaptureQueriesContext(connection) as small:
        load()
    grow()
    with case.assertNumQueries(len(small.captured_queries)):
        load()
