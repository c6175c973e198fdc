from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Cursor pages: each page is one indexed range query, however deep into the list."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"
