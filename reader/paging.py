"""A page of a list and its total in one query."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window


def page_with_total(queryset: QuerySet, number, per_page: int) -> Page:
    """What ``Paginator(queryset, per_page).get_page(number)`` gives, read in one query
    instead of two: the total comes with the rows as ``COUNT(*) OVER ()``.

    As ``get_page``, a number that is not a whole number gives the first page, and one below
    1 or past the end the last page (those cost the count and the last page's rows).
    """
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    paginator = Paginator(queryset, per_page)
    if not 1 <= number <= 1_000_000:  # before the first page, or an OFFSET too big to send
        return paginator.get_page(number)
    start = (number - 1) * per_page
    rows = list(queryset.annotate(_listed_total=Window(Count("pk")))[start : start + per_page])
    if rows:
        # Paginator.count is a cached_property: setting it spares the COUNT query.
        paginator.__dict__["count"] = rows[0]._listed_total
        return Page(rows, number, paginator)
    if number == 1:
        paginator.__dict__["count"] = 0
        return Page([], 1, paginator)
    return paginator.get_page(number)
