"""Full-text article search: Article.objects.search and the list's ?q=, on either database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from annotations.models import Annotation
from reader import search, services
from reader.models import Article
from tests import pages
from tests.articles import FLOODS, numbered_article, plain_article

pytestmark = pytest.mark.django_db

LIST = reverse("reader:article_list", args=["default"])
HOSTILE = [
    '"',
    '""',
    '"unclosed phrase',
    "*",
    "flood*",
    "NEAR(",
    "NEAR(river walls)",
    "-",
    "--river",
    "AND OR",
    "OR",
    "river OR",
    "NOT river",
    "title:river",
    "^river",
    "river)",
    "(river",
    "{title text}: river",
    "'; DROP TABLE reader_article; --",
    "\\",
    "%_",
    "río 🙂",
    "🙂",
    "\u0000",
    "river\u0000walls",
    "a & b | !c <-> d:*",
]


def titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


def search_titles(query: str) -> set[str]:
    return titles(Article.objects.search(query))


@pytest.fixture
def floods(alice) -> Article:
    return services.article_import(raw=plain_article(*FLOODS), user=alice).article


@pytest.fixture
def harbours(alice) -> list[Article]:
    return [services.article_import(raw=numbered_article(n), user=alice).article for n in (1, 2, 3)]


@pytest.fixture
def accented(alice) -> Article:
    return services.article_import(
        raw=plain_article(
            "Le café de la gare rouvre ses portes",
            "Après deux ans de travaux, le café près de la gare accueille de nouveau les voyageurs.",
            "Die Straße vor dem Bahnhof bleibt für den Verkehr gesperrt, sagte die Stadt.",
        ),
        user=alice,
    ).article


def test_search_finds_a_word_of_the_title(floods, harbours):
    assert search_titles("ministers") == {floods.title}


def test_search_finds_a_word_of_the_text_only(floods, harbours):
    assert "inquiry" not in floods.title.lower()
    assert search_titles("inquiry") == {floods.title}


def test_search_requires_every_term(floods, harbours):
    assert search_titles("harbour council") == {a.title for a in harbours}
    assert search_titles("harbour 2000") == {harbours[1].title}
    assert search_titles("harbour inquiry") == set()


def test_search_is_case_insensitive_and_matches_word_forms(floods):
    assert search_titles("GOVERNMENT") == {floods.title}
    # Both databases stem English: "official" finds "Officials", "flood" finds "flooded".
    assert search_titles("official flood") == {floods.title}


def test_search_matches_a_quoted_phrase_only_in_that_order(floods):
    assert search_titles('"flood defences"') == {floods.title}
    assert search_titles('"defences flood"') == set()
    assert search_titles("defences flood") == {floods.title}


def test_search_excludes_minus_terms_and_accepts_or(floods, harbours):
    assert search_titles("river -inquiry") == set()
    assert search_titles("council -2000") == {harbours[0].title, harbours[2].title}
    assert search_titles("inquiry or 3000") == {floods.title, harbours[2].title}


def test_search_ignores_an_empty_or_symbol_only_query(floods, harbours):
    everything = {floods.title, *(a.title for a in harbours)}
    assert search_titles("") == everything
    assert search_titles("  -- * ") == everything


def test_search_matches_accented_words_exactly_and_without_accents(accented, floods):
    assert search_titles("café") == {accented.title}
    assert search_titles("Straße") == {accented.title}
    assert search_titles('"près de la gare"') == {accented.title}
    # Accents fold on SQLite (FTS5 remove_diacritics) and on PostgreSQL when the
    # unaccent extension is installed, which the migration does where it can.
    if connection.vendor == "sqlite" or _unaccent_installed():
        assert search_titles("cafe apres") == {accented.title}


def _unaccent_installed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
        return cursor.fetchone() is not None


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(query, floods, harbours):
    assert isinstance(search_titles(query), set)


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_in_the_list_answer_200(alice_client, floods, query):
    assert alice_client.get(LIST, {"q": query}).status_code == 200


def test_hostile_punctuation_is_read_as_the_words_it_wraps(floods, harbours):
    assert search_titles("(river walls)") == {floods.title}
    assert search_titles("NEAR(river") == set()  # the phrase "near river"
    assert search_titles("title:river") == set()  # "title" is not a word of the article
    assert search_titles("flood*") == {floods.title}


def test_parsed_queries_quote_every_term():
    groups = search.parse('a "b c" -d or NEAR( e*')
    assert search.fts5_text(groups) == '(("a" AND "b c") NOT "d") OR (("NEAR(" AND "e*"))'
    assert search.websearch_text(groups) == '"a" "b c" -"d" or "NEAR(" "e*"'


def test_reimport_with_new_text_is_found_by_its_new_words_only(alice):
    url = "https://example.org/news/harbour"
    old = services.article_import(
        raw=plain_article("Harbour news", "Fishermen praised the lighthouse keeper."),
        user=alice,
        url=url,
    )
    new = services.article_import(
        raw=plain_article("Harbour news", "Sailors criticised the new marina."),
        user=alice,
        url=url,
    )
    assert new.status == services.UPDATED
    assert new.article.pk == old.article.pk
    assert search_titles("marina sailors") == {"Harbour news"}
    assert search_titles("lighthouse") == set()


def test_deleted_article_leaves_the_search(floods):
    floods.delete()
    assert search_titles("inquiry") == set()


def test_articles_stored_in_bulk_are_searchable(floods):
    Article.objects.bulk_create(
        [
            Article(
                title=f"Bulk {n}",
                slug=f"bulk-{n}",
                body_html="<p>x</p>",
                text=f"zeppelin number {n}",
                text_hash=f"{n:064d}",
                raw_input=b"",
            )
            for n in range(3)
        ]
    )
    assert search_titles("zeppelin") == {"Bulk 0", "Bulk 1", "Bulk 2"}


def test_search_uses_the_index_where_there_is_one(floods):
    sql = str(Article.objects.search("river").query)
    if connection.vendor == "postgresql":
        assert "search_document @@ websearch_to_tsquery" in sql
    else:
        assert "reader_article_fts MATCH" in sql


def test_ranked_search_puts_title_matches_first(alice, floods):
    services.article_import(
        raw=plain_article(
            "Walls and pumps for towns", "A short note on the river.", "Nothing else here."
        ),
        user=alice,
    )
    ranked = list(Article.objects.search("river", ranked=True).order_by("-relevance", "pk"))
    assert [a.title for a in ranked] == [floods.title, "Walls and pumps for towns"]
    assert ranked[0].relevance > ranked[1].relevance > 0


def test_list_search_paginates_and_counts_matches(alice_client, alice):
    for n in range(1, 31):
        services.article_import(raw=numbered_article(n), user=alice)
    services.article_import(raw=plain_article(*FLOODS), user=alice)
    first = pages.page(alice_client.get(LIST, {"q": "harbour"}))
    second = pages.page(alice_client.get(LIST, {"q": "harbour", "page": 2}))
    shown = first.xpath('//li[contains(@class, "article-row")]//h2')
    rest = second.xpath('//li[contains(@class, "article-row")]//h2')
    assert len(shown) == 25
    assert len(rest) == 5
    titles_shown = {h.text_content().strip() for h in shown + rest}
    assert len(titles_shown) == 30
    assert all("harbour" in t for t in titles_shown)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("ministers", "floods"), ('"flood defences"', "floods"), ("river -inquiry", None)],
)
def test_without_an_index_search_falls_back_to_a_scan(monkeypatch, floods, query, expected):
    monkeypatch.setattr(search, "_backend", lambda alias: "scan")
    assert "MATCH" not in str(Article.objects.search(query).query)
    assert search_titles(query) == ({floods.title} if expected else set())


def test_search_works_as_a_subquery_of_another_query(alice, floods, harbours, make_annotation):
    note = make_annotation(alice, floods, "called for an inquiry")
    make_annotation(alice, harbours[0], "moored there in May")
    found = Annotation.objects.filter(article__in=Article.objects.search("inquiry"))
    assert list(found) == [note]


def test_list_sorts_by_relevance_only_with_a_query(alice_client, alice):
    from django.urls import reverse

    from reader import services

    for title, body in [
        ("Budget talk", "The council debated the bridge once, then moved on to other business."),
        ("Bridge bridge bridge", "The bridge, the bridge and again the bridge: repairs to the bridge."),
    ]:
        services.article_import(
            raw=f"{title}\n\n{body} {body} {body}".encode(), user=alice, filename=f"{title}.txt"
        )
    url = reverse("reader:article_list", args=["default"])
    ranked = alice_client.get(url, {"q": "bridge", "sort": "relevance"})
    assert ranked.status_code == 200
    titles = [a.title for a in ranked.context["page"]]
    assert titles.index("Bridge bridge bridge") < titles.index("Budget talk")
    no_query = alice_client.get(url, {"sort": "relevance"})
    assert no_query.status_code == 200
    assert no_query.context["sort"] == "published"
