"""One upload of article files holds at most IMPORT_MAX_TOTAL_BYTES in all, and says so."""

from __future__ import annotations

import pytest
from django.urls import reverse
from webtest import Upload

from reader.models import Article, ImportDraft
from tests.articles import numbered_article

pytestmark = pytest.mark.django_db


def padded(n: int, size: int) -> bytes:
    raw = numbered_article(n)
    return raw + b"\n" + b"A closing paragraph of padding for the size limit. " * (size // 52)


def upload(django_app, user, settings, count: int) -> tuple[list[Upload], object]:
    """``count`` files of 35 KB each, under caps of 40 KB a file and 100 KB in all."""
    settings.IMPORT_MAX_BYTES = 40_000
    settings.IMPORT_MAX_TOTAL_BYTES = 100_000
    files = [Upload(f"{n}.txt", padded(n, 35_000), "text/plain") for n in range(count)]
    from projects.services import default_project

    page = reverse("reader:article_import", kwargs={"project": default_project().slug})
    form = django_app.get(page, user=user).forms["import-form"]
    form["files"] = files
    return files, form.submit(expect_errors=True)


def test_files_over_the_total_cap_are_refused_with_a_message(django_app, alice, settings):
    files, response = upload(django_app, alice, settings, 3)
    assert response.status_code == 422
    message = " ".join(response.text.split())
    total = sum(len(f.content) for f in files) / 1024
    assert f"These 3 files add up to {total:.1f} KB; one upload may hold 97.7 KB in all." in message
    assert "Nothing was imported" in message
    assert "manage.py import_articles" in message
    assert ImportDraft.objects.count() == 0 and Article.objects.count() == 0


def test_files_within_the_total_cap_go_to_the_preview(django_app, alice, settings):
    _files, response = upload(django_app, alice, settings, 2)
    assert response.status_code == 302
    assert ImportDraft.objects.filter(user=alice).count() == 2


def test_the_default_cap_is_two_files_of_the_largest_size(settings):
    assert settings.IMPORT_MAX_TOTAL_BYTES == 2 * settings.IMPORT_MAX_BYTES
