"""Reading while someone else saves: the page is rendered from two queries
(annotations, then their stances), and a save may land between them."""

from __future__ import annotations

import pytest
from django.db import connection

from annotations.models import Annotation, Stance
from annotations.reading import load_rows

pytestmark = pytest.mark.django_db


class SaveBetweenQueries:
    """After the first query that reads annotation rows, run ``save`` once."""

    def __init__(self, save):
        self.save, self.done = save, False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if (
            not self.done
            and 'FROM "annotations_annotation"' in sql
            and "annotationstance" not in sql
        ):
            self.done = True
            self.save()
        return result


def test_an_annotation_saved_between_the_two_queries_is_left_for_the_next_view(
    alice, bob, article, stances, make_annotation
):
    make_annotation(alice, article, "Russia", stance_names=[stances[0].name])
    late = []
    hook = SaveBetweenQueries(
        lambda: late.append(
            make_annotation(bob, article, "Damascus", stance_names=[stances[1].name])
        )
    )
    with connection.execute_wrapper(hook):
        rows = load_rows(Annotation.objects.filter(article=article), list(Stance.objects.all()))
    assert hook.done and late
    assert [(r.quote, [s.name for s in r.stance_list]) for r in rows] == [
        ("Russia", [stances[0].name])
    ]
    again = load_rows(Annotation.objects.filter(article=article), list(Stance.objects.all()))
    assert {r.quote for r in again} == {"Russia", "Damascus"}


def test_a_stance_added_after_the_codebook_was_read_is_left_out(
    alice, article, stances, make_annotation
):
    codebook = list(Stance.objects.all())
    newer = Stance.objects.create(name="Iran", colour="#123456")
    made = make_annotation(alice, article, "Russia", stance_names=[stances[0].name])
    made.stances.add(newer)
    (row,) = load_rows(Annotation.objects.filter(article=article), codebook)
    assert [s.name for s in row.stance_list] == [stances[0].name]


def test_the_reading_page_answers_when_a_save_lands_while_it_renders(
    alice_client, alice, bob, article, stances, make_annotation, settings
):
    settings.STANCE_FRAGMENT_CACHE_SECONDS = 0
    make_annotation(alice, article, "Russia")
    hook = SaveBetweenQueries(
        lambda: make_annotation(bob, article, "Damascus", stance_names=[stances[1].name])
    )
    with connection.execute_wrapper(hook):
        response = alice_client.get(article.get_absolute_url())
    assert hook.done
    assert response.status_code == 200
    assert response.content.count(b"<mark ") >= 1
