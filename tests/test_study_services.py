from __future__ import annotations

import random

import pytest

from annotations.services import annotation_delete, annotation_update
from studies.data import shared_coding, submitted_coding
from studies.models import Adjudication, Assignment, GoldAnnotation, Submission
from studies.services import (
    StudyError,
    adjudication_accept_agreeing,
    adjudication_decide,
    assignments_create,
    reopening_allow,
    snapshot_spans,
    submission_create,
)

pytestmark = pytest.mark.django_db

CLAIM = "Syrian"


@pytest.fixture
def cyd(make_user):
    return make_user("cyd")


def first_word_spans(article, word: str, n: int = 1):
    text = article.text
    start = text.index(word)
    return start, start + len(word)


def test_submission_freezes_a_snapshot_that_later_edits_leave_alone(
    article, alice, make_annotation, stances
):
    live = make_annotation(alice, article, CLAIM, stance_names=["Russia"], note="first")
    private = make_annotation(alice, article, CLAIM, occurrence=1, visibility="private")
    submission = submission_create(article=article, coder=alice)
    snap = list(submission.annotations.all())
    assert [(s.annotation_id, s.quote, s.stances, s.note) for s in snap] == [
        (live.pk, CLAIM, ["Russia"], "first")
    ]  # the private annotation never enters a study
    annotation_update(
        annotation=live,
        version=live.version,
        stances=[stances[1]],
        note="changed",
        visibility="shared",
    )
    annotation_delete(annotation=live)
    snap_after = list(submission.annotations.all())
    assert [(s.start, s.end, s.stances, s.note) for s in snap_after] == [
        (s.start, s.end, s.stances, s.note) for s in snap
    ]
    assert private.pk not in {s.annotation_id for s in snap_after}


def test_a_second_submission_needs_a_reopening_which_is_recorded(
    article, alice, bob, make_annotation
):
    make_annotation(alice, article, CLAIM, stance_names=["Russia"])
    first = submission_create(article=article, coder=alice)
    with pytest.raises(StudyError):
        submission_create(article=article, coder=alice)
    reopening = reopening_allow(submission=first, allowed_by=bob, reason="missed a paragraph")
    make_annotation(alice, article, CLAIM, occurrence=1, stance_names=["Russia"])
    second = submission_create(article=article, coder=alice)
    reopening.refresh_from_db()
    assert second.round == 2 and reopening.used_at is not None and reopening.allowed_by == bob
    assert first.annotations.count() == 1 and second.annotations.count() == 2
    # agreement reads the latest round only
    coding = submitted_coding(article)
    assert coding.coders == ["alice"] and len(coding.spans) == 2
    with pytest.raises(StudyError):
        submission_create(article=article, coder=alice)


def test_assignment_to_everyone_and_n_per_article(alice, bob, cyd, db):
    from reader import services
    from tests.articles import numbered_article

    articles = [
        services.article_import(raw=numbered_article(n), user=alice, filename=f"{n}.txt").article
        for n in range(4)
    ]
    assert (
        assignments_create(articles=articles[:2], coders=[alice, bob, cyd], assigned_by=alice) == 6
    )
    # again: nothing doubles
    assert assignments_create(articles=articles[:2], coders=[alice, bob], assigned_by=alice) == 0
    added = assignments_create(
        articles=articles[2:],
        coders=[alice, bob, cyd],
        assigned_by=alice,
        per_article=2,
        rng=random.Random(1),
    )
    assert added == 4
    for a in articles[2:]:
        assert Assignment.objects.filter(article=a).count() == 2
    with pytest.raises(StudyError):
        assignments_create(articles=articles, coders=[alice], assigned_by=alice, per_article=2)


def test_shared_coding_leaves_private_annotations_out(article, alice, bob, make_annotation):
    make_annotation(alice, article, CLAIM, stance_names=["Russia"])
    make_annotation(bob, article, CLAIM, visibility="private")
    coding = shared_coding(article)
    assert coding.coders == ["alice"]
    assert [(s.coder, sorted(s.stances)) for s in coding.spans] == [("alice", ["Russia"])]


@pytest.fixture
def three_submitted(article, alice, bob, cyd, make_annotation):
    # unit 1: all agree; unit 2: stances differ; unit 3: only cyd
    for user in (alice, bob, cyd):
        make_annotation(user, article, CLAIM, stance_names=["Russia"])
    make_annotation(alice, article, CLAIM, occurrence=1, stance_names=["Russia"])
    make_annotation(bob, article, CLAIM, occurrence=1, stance_names=["United States"])
    make_annotation(cyd, article, CLAIM, occurrence=1, stance_names=["Russia", "United States"])
    make_annotation(cyd, article, "Assad")
    for user in (alice, bob, cyd):
        submission_create(article=article, coder=user)
    return article


def test_accept_all_agreeing_makes_gold_only_for_units_where_everyone_agrees(three_submitted, bob):
    article = three_submitted
    accepted = adjudication_accept_agreeing(
        article=article, curator=bob, coders=["alice", "bob", "cyd"]
    )
    assert accepted == 1
    gold = GoldAnnotation.objects.get(article=article)
    first = article.text.index(CLAIM)
    assert (gold.start, gold.end, gold.quote) == (first, first + len(CLAIM), CLAIM)
    assert [s.name for s in gold.stances.all()] == ["Russia"]
    assert gold.adjudication.sources.count() == 3 and gold.curator == bob
    # a second run finds nothing new to accept
    assert (
        adjudication_accept_agreeing(article=article, curator=bob, coders=["alice", "bob", "cyd"])
        == 0
    )


def test_merge_takes_boundaries_from_one_and_stances_from_another_and_reject(three_submitted, bob):
    article = three_submitted
    spans = snapshot_spans(article)
    second = article.text.index(CLAIM, article.text.index(CLAIM) + 1)
    unit = [s for s in spans if s.start == second]
    from studies.models import SnapshotAnnotation

    rows = list(SnapshotAnnotation.objects.filter(pk__in=[s.id for s in unit]))
    adjudication_decide(
        article=article,
        sources=rows,
        decision=Adjudication.Decision.MERGED,
        curator=bob,
        start=second,
        end=second + len(CLAIM),
        stances=["United States"],
        note="the speaker is the US envoy",
    )
    gold = GoldAnnotation.objects.get(article=article)
    assert [s.name for s in gold.stances.all()] == ["United States"]
    assert gold.note == "the speaker is the US envoy" and gold.adjudication.decision == "merged"
    lonely = SnapshotAnnotation.objects.get(quote="Assad")
    adjudication_decide(article=article, sources=[lonely], decision="rejected", curator=bob)
    assert GoldAnnotation.objects.filter(article=article).count() == 1
    assert Adjudication.objects.filter(decision="rejected").count() == 1
    # deciding a unit again replaces the earlier decision
    adjudication_decide(article=article, sources=rows, decision="rejected", curator=bob)
    assert GoldAnnotation.objects.filter(article=article).count() == 0
    assert Submission.objects.count() == 3
