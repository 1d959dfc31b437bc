"""reader.paging.page_with_total: Paginator.get_page's answers, the total read with the rows."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Stance
from projects.models import Project
from reader.paging import page_with_total

pytestmark = pytest.mark.django_db


@pytest.fixture
def thirty_stances():
    project = Project.objects.create(name="Paging", slug="paging")
    Stance.objects.bulk_create(
        Stance(project=project, name=f"Stance {n:02}", colour="#123456", order=n) for n in range(30)
    )
    return Stance.objects.filter(project=project).order_by("order")


@pytest.mark.parametrize("number", [1, "2", 7, "0", "-3", "x", None, "1.5", "99999999999999999999"])
def test_same_page_as_get_page(thirty_stances, number):
    expected = Paginator(thirty_stances, 25).get_page(number)
    got = page_with_total(thirty_stances, number, 25)
    assert got.number == expected.number
    assert [s.pk for s in got] == [s.pk for s in expected]
    assert got.paginator.count == expected.paginator.count == 30
    assert got.paginator.num_pages == 2
    assert (got.has_next(), got.has_previous()) == (expected.has_next(), expected.has_previous())


def test_a_page_with_rows_is_one_query(thirty_stances):
    with CaptureQueriesContext(connection) as captured:
        page = page_with_total(thirty_stances, 2, 25)
        assert page.paginator.count == 30
        assert page.paginator.num_pages == 2
        assert len(page) == 5
    assert len(captured.captured_queries) == 1


def test_a_filtered_list_counts_what_matched(thirty_stances):
    page = page_with_total(thirty_stances.filter(name__endswith="7"), 1, 25)
    assert page.paginator.count == 3
    assert [s.name for s in page] == ["Stance 07", "Stance 17", "Stance 27"]


def test_nothing_to_list(thirty_stances):
    page = page_with_total(thirty_stances.none(), "4", 25)
    assert page.number == 1
    assert list(page) == []
    assert page.paginator.count == 0
