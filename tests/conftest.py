from __future__ import annotations

from pathlib import Path

import pytest

from annotations.models import Stance
from reader import services
from tests.concurrency import concurrent_db  # noqa: F401 (a fixture for every test module)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "samples" / "000_cec687c1fc65c03c.txt"
SEED_EXPECTED = SHARED / "samples" / "000_cec687c1fc65c03c.expected.json"


@pytest.fixture(autouse=True)
def _clean_rate_limits(request):
    # Each database test starts with a clean rate-limit slate (the cache lives
    # in the database, so only tests with database access can reach it).
    names = set(request.fixturenames)
    database = next((n for n in ("transactional_db", "db") if n in names), None)
    if database is None and request.node.get_closest_marker("django_db"):
        database = "db"
    if database:
        from django.core.cache import cache

        from annotations.reading import forget_rendered_fragments

        request.getfixturevalue(database)
        cache.clear()
        # Ids restart with each test database; fragments of an earlier test must not match.
        forget_rendered_fragments()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests log in a lot.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _signup_open(settings):
    # The demo's setting (make run); tests of the closed default set it back.
    settings.SIGNUP_OPEN = True


@pytest.fixture
def password() -> str:
    return "a-long-test-password-81"


@pytest.fixture
def default_project(db):
    """The project everything of before projects lives in (made by the data migration)."""
    from projects.services import default_project

    return default_project()


@pytest.fixture
def make_member():
    """make_member(user, project, role="annotator", curator=False) -> Membership."""
    from projects.services import membership_set

    def make(user, project, role: str = "annotator", **extra):
        return membership_set(project=project, user=user, role=role, **extra)

    return make


@pytest.fixture
def make_user(django_user_model, password, default_project):
    """A user; an annotator of the default project unless ``project=None`` (or another) is given.

    ``role`` sets the role in that project.
    """
    from projects.services import membership_set

    def make(username: str, *, project=default_project, role: str = "annotator", **extra):
        user = django_user_model.objects.create_user(username=username, password=password, **extra)
        if project is not None:
            membership_set(project=project, user=user, role=role)
        return user

    return make


@pytest.fixture
def make_project(default_project):
    """make_project(name, manager, codebook_from=None) -> a new project with its codebook."""
    from projects.services import project_create

    def make(name: str, manager, **extra):
        return project_create(name=name, manager=manager, **extra)

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def staff(make_user):
    return make_user("sam", is_staff=True)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(alice, bob):
    from django.test import Client

    other = Client()
    other.force_login(bob)
    return other


def seed_stances() -> list[Stance]:
    """The seeded codebook, put back after a transactional test flushed it."""
    import importlib

    seed = importlib.import_module("annotations.migrations.0002_seed_stances")
    for order, (name, description, colour, hotkey) in enumerate(seed.DEFAULT_STANCES):
        Stance.objects.get_or_create(
            name=name,
            defaults={"description": description, "colour": colour, "hotkey": hotkey, "order": order},
        )
    return list(Stance.objects.order_by("order"))


@pytest.fixture
def stances(default_project) -> list[Stance]:
    """The default project's codebook: Russia (1), United States (2), Syrian opposition (3)."""
    return list(Stance.objects.filter(project=default_project).order_by("order"))


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture
def article(db, alice, seed_bytes):
    """The seed scrape, imported."""
    return services.article_import(raw=seed_bytes, user=alice, filename=SEED.name).article


@pytest.fixture
def make_annotation(stances):
    from annotations.services import annotation_create

    def make(user, article, quote: str, *, occurrence: int = 0, stance_names=(), **extra):
        start = -1
        for _ in range(occurrence + 1):
            start = article.text.index(quote, start + 1)
        chosen = [s for s in stances if s.name in stance_names]
        return annotation_create(
            user=user,
            article=article,
            start=start,
            end=start + len(quote),
            quote=quote,
            stances=chosen,
            **extra,
        )

    return make
