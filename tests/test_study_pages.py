"""The study's pages through the site: reachable for members, 404 for everyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from studies.services import submission_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(default_project, article, alice, make_user, make_annotation):
    """A blind study of the seed article: alice manages, bob and cyd code, vic views."""
    from projects.services import membership_set

    membership_set(project=default_project, user=alice, role="manager")
    default_project.settings = {**(default_project.settings or {}), "blind": True}
    default_project.save(update_fields=["settings"])
    bob = make_user("bob")
    cyd = make_user("cyd")
    vic = make_user("vic", role="viewer")
    outsider = make_user("olga", project=None)
    make_annotation(bob, article, "Syrian", stance_names=["Russia"])
    make_annotation(cyd, article, "Syrian", stance_names=["Russia"])
    submission_create(article=article, coder=bob)
    submission_create(article=article, coder=cyd)
    return {
        "article": article,
        "manager": alice,
        "bob": bob,
        "cyd": cyd,
        "viewer": vic,
        "outsider": outsider,
    }


def study_urls(article) -> list[str]:
    p, s = "default", article.slug
    return [
        reverse("studies:home", args=[p]),
        reverse("studies:statements", args=[p]),
        reverse("studies:statements", args=[p]) + "?layer=gold",
        reverse("studies:statements", args=[p]) + "?dialect=dna",
        reverse("studies:agreement", args=[p]),
        reverse("studies:agreement_download", args=[p, "tables"]),
        reverse("studies:agreement_download", args=[p, "diagnosis"]),
        reverse("studies:agreement_download", args=[p, "chart-progress"]),
        reverse("studies:agreement_download", args=[p, "chart-heatmap"]),
        reverse("studies:agreement_download", args=[p, "chart-by-source"]),
        reverse("studies:agreement_download", args=[p, "chart-by-month"]),
        reverse("studies:article_agreement", args=[p, s]),
        reverse("studies:article_agreement_download", args=[p, s, "tables"]),
        reverse("studies:article_agreement_download", args=[p, s, "diagnosis"]),
        reverse("studies:article_agreement_download", args=[p, s, "chart-strip"]),
        reverse("studies:article_agreement_download", args=[p, s, "chart-heatmap"]),
        reverse("studies:adjudicate", args=[p, s]),
    ]


def test_a_manager_opens_every_study_page(client, study):
    client.force_login(study["manager"])
    for url in study_urls(study["article"]):
        response = client.get(url)
        assert response.status_code == 200, url
        b"".join(response.streaming_content) if response.streaming else response.content


def test_a_non_member_gets_404_for_every_study_page(client, study):
    client.force_login(study["outsider"])
    for url in study_urls(study["article"]):
        assert client.get(url).status_code == 404, url
    article = study["article"]
    for name in ("studies:submit", "studies:reopen", "studies:adjudicate"):
        assert client.post(reverse(name, args=["default", article.slug])).status_code == 404


def test_a_blind_coder_sees_the_queue_but_not_the_others_work(client, study):
    client.force_login(study["bob"])
    assert client.get(reverse("studies:home", args=["default"])).status_code == 200
    for url in study_urls(study["article"])[1:]:
        assert client.get(url).status_code == 404, url


def test_the_project_nav_links_the_study_for_members(client, study):
    url = reverse("studies:home", args=["default"])
    for who in ("manager", "bob", "viewer"):
        client.force_login(study[who])
        page = client.get(reverse("reader:article_list", args=["default"])).content.decode()
        assert f'href="{url}"' in page, who
        page = client.get(url).content.decode()
        assert f'href="{url}"' in page, who


def _form(page, selector):
    from tests.test_forms_as_rendered import form_of

    return form_of(page, selector)


def test_a_manager_assigns_chosen_coders_through_the_form_as_rendered(django_app, study):
    from studies.models import Assignment

    page = django_app.get(reverse("studies:home", args=["default"]), user=study["manager"])
    form = _form(page, "form[name=assign]")
    form["mode"] = "chosen"
    for field in form.fields["coders"]:
        field.checked = field._value == "bob"
    form.submit(user=study["manager"]).follow(user=study["manager"])
    assert list(Assignment.objects.values_list("coder__username", "article__slug")) == [
        ("bob", study["article"].slug)
    ]
    queue = django_app.get(reverse("studies:home", args=["default"]), user=study["bob"])
    assert (
        "Submitted (1)" in queue.text
        and study["article"].title in queue.html.select_one("#queue-submitted").text
    )


def test_a_blind_coder_submits_from_the_reading_page_as_rendered(
    django_app, study, make_user, make_annotation
):
    from studies.models import Submission

    dee = make_user("dee")
    make_annotation(dee, study["article"], "Russia", stance_names=["Russia"])
    page = django_app.get(study["article"].get_absolute_url(), user=dee)
    assert "until you submit your coding" in page.text
    page = _form(page, "form[name=submit-coding]").submit(user=dee).follow(user=dee)
    submission = Submission.objects.get(coder=dee)
    assert [a.quote for a in submission.annotations.all()] == ["Russia"]
    assert "You submitted your coding (round 1" in page.text
    assert "Submit my coding" not in page.text


def test_the_manager_sees_the_progress_strip_and_coders_do_not(django_app, study, make_user):
    make_user("eve")
    page = django_app.get(study["article"].get_absolute_url(), user=study["manager"])
    strip = page.html.select_one("#progress-strip").get_text(" ", strip=True)
    assert "bob: submitted" in strip and "cyd: submitted" in strip
    page = django_app.get(study["article"].get_absolute_url(), user=study["bob"])
    assert page.html.select_one("#progress-strip") is None


def test_a_curator_picks_a_version_and_reopens_a_submission_as_rendered(django_app, study):
    from studies.models import GoldAnnotation, Reopening

    manager, article = study["manager"], study["article"]
    page = django_app.get(
        reverse("studies:adjudicate", args=["default", article.slug]), user=manager
    )
    page = _form(page, "form[name=pick-1-1]").submit(user=manager).follow(user=manager)
    gold = GoldAnnotation.objects.get()
    assert gold.quote == "Syrian" and [s.name for s in gold.stances.all()] == ["Russia"]
    assert "Picked one version" in page.text
    page = django_app.get(
        reverse("studies:article_agreement", args=["default", article.slug]), user=manager
    )
    form = _form(page, "form[name=reopen-bob]")
    form["reason"] = "typo in a stance"
    form.submit(user=manager).follow(user=manager)
    assert list(Reopening.objects.values_list("submission__coder__username", "reason")) == [
        ("bob", "typo in a stance")
    ]


def test_a_managers_reading_page_in_a_project_without_a_study_asks_nothing_more(
    client, article, alice, bob, default_project, make_annotation
):
    """The progress strip is for a study: without assignments in a project that is not
    blind, the manager's page costs what an annotator's costs (whether coders are assigned
    is read with the article)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.services import membership_set

    make_annotation(bob, article, "Syrian", stance_names=["Russia"])
    membership_set(project=default_project, user=alice, role="manager")

    def queries(user) -> int:
        client.force_login(user)
        client.get(article.get_absolute_url())  # the fragment cached, as on a busy page
        with CaptureQueriesContext(connection) as context:
            page = client.get(article.get_absolute_url()).content.decode()
        assert 'id="progress-strip"' not in page
        return len(context)

    assert queries(alice) == queries(bob)


def test_a_coders_queue_costs_the_same_queries_for_one_article_or_five(
    client, study, make_user
):
    """The study page lists a coder's queue with links: no query per article."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reader import services as reader_services
    from studies.services import assignments_create
    from tests.articles import numbered_article

    dan = make_user("dan")
    client.force_login(dan)
    url = reverse("studies:home", args=["default"])

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as context:
            page = client.get(url).content.decode()
        return len(context), page

    assignments_create(articles=[study["article"]], coders=[dan], assigned_by=study["manager"])
    one, _page = queries()
    more = [
        reader_services.article_import(raw=numbered_article(n), user=study["manager"]).article
        for n in range(4)
    ]
    assignments_create(articles=more, coders=[dan], assigned_by=study["manager"])
    five, page = queries()
    assert five == one
    assert page.count("/p/default/articles/") >= 5
