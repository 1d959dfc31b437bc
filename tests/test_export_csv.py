from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotations import export
from annotations.models import Annotation, AnnotationStance
from annotations.services import annotation_create
from reader.models import Article
from tests.articles import stored_article

BLNS = Path(__file__).resolve().parents[2] / "shared/bad-input/blns.json"
SEED_EXPECTED = (
    Path(__file__).resolve().parents[2] / "shared/samples/000_cec687c1fc65c03c.expected.json"
)
URL = "/export/annotations.csv"

pytestmark = pytest.mark.django_db
INJECTION_CHARS = ["=", "+", "-", "@", "\t", "\r", "\n", "\0"]


@pytest.fixture
def article(db, alice) -> Article:
    """The seed article's expected text, stored directly: these tests need its words,
    not the import pipeline."""
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    return stored_article(expected["title"], expected["body_paragraphs"])


def annotate(user, article: Article, quote: str, **extra) -> Annotation:
    start = article.text.index(quote)
    return annotation_create(
        user=user, article=article, start=start, end=start + len(quote), quote=quote, **extra
    )


def body(response) -> bytes:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def rows(response) -> list[dict[str, str]]:
    text = body(response).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def stores_nul() -> bool:
    return connection.vendor != "postgresql"  # PostgreSQL text cannot hold NUL


@pytest.fixture
def annotated(article, alice, bob, make_annotation):
    """Alice: two stances, one without; her private one; Bob: shared and private."""
    return {
        "two": make_annotation(
            alice, article, "Sergey Lavrov", stance_names=("Russia", "United States"), note="n1"
        ),
        "none": make_annotation(alice, article, "Ban Ki-Moon"),
        "alice_private": make_annotation(
            alice, article, "Montreux", visibility="private", stance_names=("Russia",)
        ),
        "bob_shared": make_annotation(
            bob, article, "Switzerland", stance_names=("Syrian opposition",)
        ),
        "bob_private": make_annotation(bob, article, "Iran", visibility="private"),
    }


def test_header_lists_the_columns_in_design_order(alice_client, annotated):
    text = body(alice_client.get(URL)).decode("utf-8")
    first_line = text.split("\r\n", 1)[0]
    assert first_line == (
        "annotation_id,project,article_id,article_title,article_url,source,published,user,"
        "stances,quote,prefix,suffix,start,end,note,visibility,anchor_status,created_at,"
        "updated_at,codebook_version,layer,article_version,stances_as_coded"
    )


def test_empty_export_still_has_the_header(alice_client, db):
    text = body(alice_client.get(URL)).decode("utf-8")
    assert text == ",".join(export.COLUMNS) + "\r\n"


def test_wide_layout_gives_one_row_per_annotation_with_stances_joined(alice_client, annotated):
    by_id = {row["annotation_id"]: row for row in rows(alice_client.get(URL))}
    assert len(by_id) == 4
    assert by_id[str(annotated["two"].pk)]["stances"] == "Russia; United States"
    assert by_id[str(annotated["none"].pk)]["stances"] == ""


def test_long_layout_gives_one_row_per_stance_and_one_for_none(alice_client, annotated):
    got = rows(alice_client.get(URL, {"layout": "long"}))
    pairs = sorted((row["annotation_id"], row["stance"]) for row in got)
    assert pairs == sorted(
        [
            (str(annotated["two"].pk), "Russia"),
            (str(annotated["two"].pk), "United States"),
            (str(annotated["none"].pk), ""),
            (str(annotated["alice_private"].pk), "Russia"),
            (str(annotated["bob_shared"].pk), "Syrian opposition"),
        ]
    )


def test_row_carries_offsets_context_and_article_fields(alice_client, annotated, article):
    row = next(
        r for r in rows(alice_client.get(URL)) if r["annotation_id"] == str(annotated["two"].pk)
    )
    annotation = annotated["two"]
    assert row["article_id"] == str(article.pk)
    assert row["article_title"] == article.title
    assert row["user"] == "alice"
    assert (row["quote"], row["prefix"], row["suffix"]) == (
        annotation.quote,
        annotation.prefix,
        annotation.suffix,
    )
    assert (int(row["start"]), int(row["end"])) == (annotation.start, annotation.end)
    assert article.text[int(row["start"]) : int(row["end"])] == row["quote"]
    assert row["note"] == "n1"
    assert row["visibility"] == "shared"
    assert row["anchor_status"] == "anchored"


def test_times_are_iso_8601_utc(alice_client, annotated):
    row = rows(alice_client.get(URL))[0]
    for column in ("created_at", "updated_at"):
        assert row[column].endswith("Z")
        parsed = dt.datetime.fromisoformat(row[column])
        assert parsed.utcoffset() == dt.timedelta(0)
    annotation = Annotation.objects.get(pk=row["annotation_id"])
    assert dt.datetime.fromisoformat(row["created_at"]) == annotation.created


def test_article_url_is_the_source_url_else_the_absolute_reading_page(alice_client, alice):
    with_source = stored_article("Sourced", ["Alpha beta gamma."], "https://news.example/a")
    without = stored_article("Unsourced", ["Delta epsilon zeta."])
    annotate(alice, with_source, "beta")
    annotate(alice, without, "epsilon")
    urls = {row["article_title"]: row["article_url"] for row in rows(alice_client.get(URL))}
    assert urls == {
        "Sourced": "https://news.example/a",
        "Unsourced": f"http://testserver{without.get_absolute_url()}",
    }


# -- filters -----------------------------------------------------------------------------


def ids(response) -> set[str]:
    return {row["annotation_id"] for row in rows(response)}


def test_article_filter_keeps_one_article(alice_client, alice, annotated):
    other = stored_article("Other", ["Something else entirely."])
    annotate(alice, other, "else")
    got = ids(alice_client.get(URL, {"article": annotated["two"].article_id}))
    assert got == {str(a.pk) for k, a in annotated.items() if k != "bob_private"}


def test_author_filter_by_username_under_either_name(alice_client, annotated):
    expected = {str(annotated["bob_shared"].pk)}
    assert ids(alice_client.get(URL, {"user": "bob"})) == expected
    assert ids(alice_client.get(URL, {"author": "bob"})) == expected


def test_stance_filter_by_id_or_name_keeps_all_stances_of_the_annotation(
    alice_client, annotated, stances
):
    us = next(s for s in stances if s.name == "United States")
    by_id = rows(alice_client.get(URL, {"stance": us.pk}))
    by_name = rows(alice_client.get(URL, {"stance": "United States"}))
    assert by_id == by_name
    assert [r["annotation_id"] for r in by_id] == [str(annotated["two"].pk)]
    assert by_id[0]["stances"] == "Russia; United States"


def test_visibility_mine_keeps_my_annotations_and_all_adds_shared_ones(alice_client, annotated):
    mine = {str(annotated[k].pk) for k in ("two", "none", "alice_private")}
    assert ids(alice_client.get(URL, {"visibility": "mine"})) == mine
    assert ids(alice_client.get(URL, {"visibility": "all"})) == mine | {
        str(annotated["bob_shared"].pk)
    }


def test_created_date_range_is_inclusive_in_utc(alice_client, annotated):
    Annotation.objects.filter(pk=annotated["two"].pk).update(
        created=dt.datetime(2024, 3, 1, 23, 59, 59, tzinfo=dt.UTC)
    )
    Annotation.objects.filter(pk=annotated["none"].pk).update(
        created=dt.datetime(2024, 3, 2, 0, 0, tzinfo=dt.UTC)
    )
    Annotation.objects.filter(pk=annotated["bob_shared"].pk).update(
        created=dt.datetime(2024, 3, 5, 12, 0, tzinfo=dt.UTC)
    )
    two, none, bob = (str(annotated[k].pk) for k in ("two", "none", "bob_shared"))
    assert ids(alice_client.get(URL, {"from": "2024-03-01", "to": "2024-03-01"})) == {two}
    assert ids(alice_client.get(URL, {"from": "2024-03-02", "to": "2024-03-05"})) == {none, bob}
    assert ids(alice_client.get(URL, {"to": "2024-03-04"})) == {two, none}
    recent = ids(alice_client.get(URL, {"from": timezone.now().date().isoformat()}))
    assert recent == {str(annotated["alice_private"].pk)}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"article": "abc"}, "article: Enter a whole number."),
        ({"article": "999999"}, "article: No article with id 999999."),
        ({"user": "nobody"}, "user: No user named “nobody”."),
        ({"user": "alice", "author": "bob"}, "name different people"),
        ({"stance": "Atlantis"}, "stance: No stance with id or name “Atlantis”."),
        ({"visibility": "everyone"}, "visibility: Select a valid choice."),
        ({"from": "2024-13-01"}, "from: Enter a valid date."),
        ({"to": "01/02/2024"}, "to: Enter a valid date."),
        ({"from": "2024-03-02", "to": "2024-03-01"}, "“from” is after “to”"),
        ({"layout": "diagonal"}, "layout: Select a valid choice."),
        ({"bom": "maybe"}, "bom: Use bom=1"),
    ],
)
def test_invalid_filter_is_a_400_that_says_what_is_wrong(alice_client, annotated, params, message):
    for url in (URL, "/export/annotations.jsonld"):
        response = alice_client.get(url, params)
        assert response.status_code == 400
        assert message in response.content.decode("utf-8")
        assert str(annotated["two"].pk) not in response.content.decode("utf-8")


def test_export_needs_a_login(client, annotated):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# -- privacy -------------------------------------------------------------------------------


def test_private_annotations_of_others_are_in_no_export_for_anyone(
    client, annotated, alice, bob, staff
):
    exports = [
        (url, {"layout": layout, "visibility": visibility})
        for url in (URL, "/export/annotations.jsonld")
        for layout in ("wide", "long")
        for visibility in ("all", "mine")
    ]
    for viewer, own_private in ((alice, "alice_private"), (bob, "bob_private"), (staff, None)):
        client.force_login(viewer)
        for url, params in exports:
            content = body(client.get(url, params))
            for key in ("alice_private", "bob_private"):
                present = str(annotated[key].pk).encode() in content
                assert present == (key == own_private), (viewer.username, key, url, params)


def test_private_quote_and_note_text_do_not_leak_through_other_rows(client, staff, bob, article):
    secret = "Montreux"
    annotate(bob, article, secret, note="secret-note-xyz", visibility="private")
    client.force_login(staff)
    content = body(client.get(URL)).decode("utf-8")
    assert "secret-note-xyz" not in content


# -- spreadsheet safety and RFC 4180 -------------------------------------------------------


@pytest.mark.parametrize("char", INJECTION_CHARS)
def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(client, make_user, char):
    if char == "\0" and not stores_nul():
        pytest.skip("PostgreSQL text cannot store NUL; covered by the cell rule test")
    payload = f"{char}cmd|' /C calc'!A0"
    user = make_user(f"{char}user")
    article = stored_article(f"{char}Title", ["Plain words first.", payload])
    annotate(user, article, payload, note=f"{char}note")
    client.force_login(user)
    (row,) = rows(client.get(URL, {"article": article.pk}))
    assert row["quote"] == "'" + payload
    assert row["note"] == f"'{char}note"
    assert row["article_title"] == f"'{char}Title"
    assert row["user"] == f"'{char}user"


@pytest.mark.parametrize("char", INJECTION_CHARS)
def test_cell_rule_prefixes_each_trigger_and_nothing_else(char):
    assert export.safe_cell(f"{char}1+1") == f"'{char}1+1"
    assert export.safe_cell(f"a{char}") == f"a{char}"


def test_safe_cell_leaves_ordinary_text_alone():
    assert export.safe_cell("") == ""
    assert export.safe_cell("Lavrov said") == "Lavrov said"
    assert export.safe_cell("'quoted") == "'quoted"


def test_naughty_strings_survive_a_csv_round_trip(alice_client, alice):
    strings = [s for s in json.loads(BLNS.read_text(encoding="utf-8")) if s]
    if not stores_nul():
        strings = [s for s in strings if "\0" not in s]
    strings += ['comma, "double quotes", and\r\nnew\nlines', "trailing\r"]
    article = stored_article("Naughty", strings)
    offset = 0
    expected = {}
    for s in strings:
        annotation = annotation_create(
            user=alice, article=article, start=offset, end=offset + len(s), quote=s, note=s
        )
        expected[str(annotation.pk)] = s
        offset += len(s) + 2
    got = rows(alice_client.get(URL, {"article": article.pk}))
    assert len(got) == len(strings)

    def unsafe(value: str) -> str:
        return value[1:] if value[:1] == "'" and value[1:2] in export.FORMULA_TRIGGERS else value

    for row in got:
        original = expected[row["annotation_id"]]
        assert unsafe(row["quote"]) == original
        assert unsafe(row["note"]) == original
        if original[0] in export.FORMULA_TRIGGERS:
            assert row["quote"] == "'" + original


def test_utf8_without_bom_by_default_and_with_bom_on_request(alice_client, alice):
    article = stored_article("Ελληνικά café", ["Naïve façade, São Paulo."])
    annotate(alice, article, "façade")
    plain = body(alice_client.get(URL))
    marked = body(alice_client.get(URL, {"bom": "1"}))
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert plain.startswith(b"annotation_id,")
    assert marked == b"\xef\xbb\xbf" + plain
    assert "façade".encode() in plain and "Ελληνικά café".encode() in plain
    assert body(alice_client.get(URL, {"bom": "0"})) == plain


def test_file_name_says_article_variant_and_the_day(alice_client, annotated, article):
    today = timezone.now().date().isoformat()

    def name(url, **params):
        disposition = alice_client.get(url, params)["Content-Disposition"]
        return disposition.removeprefix('attachment; filename="').removesuffix('"')

    assert name(URL, article=article.pk) == f"stance-reader-annotations-{article.slug}-{today}.csv"
    assert name(URL) == f"stance-reader-annotations-{today}.csv"
    assert name(URL, layout="long") == f"stance-reader-annotations-{today}-long.csv"
    assert name(URL, bom="1") == f"stance-reader-annotations-{today}-excel.csv"
    assert name(URL, raw="1") == f"stance-reader-annotations-{today}-raw.csv"
    assert name(URL, layout="long", raw="1") == f"stance-reader-annotations-{today}-long-raw.csv"
    assert name("/export/annotations.jsonld") == f"stance-reader-annotations-{today}.jsonld"


# -- streaming and queries -----------------------------------------------------------------


def bulk_annotations(user, article: Article, count: int, stances) -> None:
    words = [(i, i + 5) for i in range(0, min(len(article.text), 4000) - 5, 7)]
    annotations = []
    for n in range(count):
        start, end = words[n % len(words)]
        annotations.append(
            Annotation(
                article=article,
                user=user,
                start=start,
                end=end,
                quote=article.text[start:end],
                note=f"note {n}",
            )
        )
    Annotation.objects.bulk_create(annotations, batch_size=500)
    tags = [
        AnnotationStance(annotation=a, stance=s)
        for n, a in enumerate(annotations)
        for s in stances[: n % 3]
    ]
    AnnotationStance.objects.bulk_create(tags, batch_size=500)


@pytest.mark.parametrize("layout", ["wide", "long"])
def test_query_count_does_not_grow_with_rows(alice_client, alice, article, stances, layout):
    other = stored_article("Second article", ["One two three four five six seven."])

    def count_queries(total: int) -> tuple[int, int]:
        Annotation.objects.all().delete()
        bulk_annotations(alice, article, total - 1, stances)
        annotate(alice, other, "three")
        with CaptureQueriesContext(connection) as queries:
            response = alice_client.get(URL, {"layout": layout})
            lines = body(response).count(b"\r\n")
        return len(queries), lines

    small_queries, small_lines = count_queries(10)
    large_queries, large_lines = count_queries(2000)
    assert small_lines >= 11 and large_lines >= 2001
    assert small_queries == large_queries


def test_response_streams_in_chunks(alice_client, alice, article, stances):
    bulk_annotations(alice, article, 3000, stances)
    response = alice_client.get(URL)
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) > 2
    assert max(map(len, chunks)) < 4 * export.FLUSH_CHARS


# -- PostgreSQL's COPY path ----------------------------------------------------------------


@pytest.fixture
def varied(alice, bob, make_user, stances):
    """Data that exercises every cell rule: naughty strings and formula triggers in each
    text column, empty and missing values, ties in the ordering, several stances."""
    from annotations.models import Stance

    triggers = [c for c in INJECTION_CHARS if c != "\0" or stores_nul()]
    strings = [s for s in json.loads(BLNS.read_text(encoding="utf-8")) if s]
    if not stores_nul():
        strings = [s for s in strings if "\0" not in s]
    strings += [f"{c}cell" for c in triggers]
    # "trailing\r" last: before the paragraph break, "\r\n" would be one character.
    strings += ['comma, "double quotes", and\r\nnew\nlines', " lead", "\\.", "trailing\r"]
    extra = [Stance.objects.create(name=f"{c}stance", colour="#000000", order=1) for c in "=-@"]
    tagged = [*stances, *extra]
    naughty = stored_article('=Naughty, "quoted"\r\n', strings, source_url="")
    naughty.source_name = "@Wire"
    naughty.save()
    plain = stored_article("Plain", ["One two three four five six."], "https://news.example/p")
    plain.published = dt.datetime(2024, 2, 29, 23, 59, 59, 987654, tzinfo=dt.UTC)
    plain.save()
    authors = [alice, bob, make_user("=eve"), make_user("+mallory")]
    offset = 0
    for n, s in enumerate(strings):
        annotation_create(
            user=authors[n % len(authors)],
            article=naughty,
            start=offset,
            end=offset + len(s),
            quote=s,
            note=strings[-1 - n] if n % 3 else "",
            stances=tagged[n % len(tagged) : n % len(tagged) + n % 3],
            visibility="private" if n % 7 == 0 else "shared",
        )
        offset += len(s) + 2
    same_time = timezone.now()
    for user in authors:
        for visibility in ("shared", "private"):
            annotation = annotate(user, plain, "three", stances=tagged[:3], visibility=visibility)
            Annotation.objects.filter(pk=annotation.pk).update(created=same_time)
    return {"authors": authors, "stance": extra[0], "article": plain}


@pytest.mark.parametrize("layout", ["wide", "long"])
def test_the_file_is_what_csv_writer_writes_of_the_cells(varied, alice, layout):
    for viewer, bom in ((alice, False), (None, True)):
        options = export.ExportOptions(layout=layout, bom=bom)
        annotations = export.annotations_for(viewer=viewer, options=options)
        cells = list(export.csv_rows(export.joined_rows(annotations), layout=layout, base_url=""))
        buffer = io.StringIO()
        buffer.write(export.BOM if bom else "")
        csv.writer(buffer).writerows([export.columns(layout), *cells])
        written = b"".join(export.python_csv_chunks(annotations, options=options))
        assert written == buffer.getvalue().encode("utf-8")
        # Both kinds of cell are there: plain ones and ones csv.writer quotes.
        quoted = [row for row in cells if any(c in cell for cell in row for c in ',"\r\n')]
        assert 0 < len(quoted) < len(cells)


@pytest.mark.parametrize("layout", ["wide", "long"])
def test_copy_path_writes_the_bytes_of_the_csv_writer_path(varied, alice, alice_client, layout):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    day = timezone.now().date()
    cases = [
        (alice, {}),
        (alice, {"bom": True, "visibility": export.MINE}),
        (None, {}),
        (None, {"author": varied["authors"][2], "stance": varied["stance"]}),
        (alice, {"article": varied["article"], "date_from": day, "date_to": day}),
        (alice, {"date_to": day - dt.timedelta(days=1)}),
        (alice, {"raw": True}),
        (None, {"raw": True, "bom": True}),
    ]
    for viewer, filters in cases:
        options = export.ExportOptions(layout=layout, **filters)
        annotations = export.annotations_for(viewer=viewer, options=options)
        for base_url in ("", "https://reader.example/"):
            expected = b"".join(
                export.python_csv_chunks(annotations, options=options, base_url=base_url)
            )
            copied = b"".join(
                export.copied_csv_chunks(annotations, options=options, base_url=base_url)
            )
            assert copied == expected, (viewer, filters, base_url)
    # Not a comparison of two empty files: the web export has every row alice may see.
    visible = Annotation.objects.visible_to(alice)
    per_stance = AnnotationStance.objects.filter(annotation__in=visible).count()
    untagged = visible.filter(tags__isnull=True).count()
    expected_rows = visible.count() if layout == "wide" else per_stance + untagged
    web = rows(alice_client.get(URL, {"layout": layout}))
    assert len(web) == expected_rows > 400


def test_export_stopped_midway_leaves_the_connection_usable(alice, article, stances):
    bulk_annotations(alice, article, 3000, stances)
    chunks = export.csv_chunks(viewer=alice, options=export.ExportOptions())
    first = next(chunks)
    chunks.close()  # as when the person cancels the download
    assert first.startswith(b"annotation_id,")
    assert Annotation.objects.filter(user=alice).count() == 3000


def test_stance_filter_ignores_case_and_an_unknown_one_lists_the_stances(
    alice_client, annotated, stances
):
    exact = alice_client.get(URL, {"stance": stances[0].name})
    folded = alice_client.get(URL, {"stance": stances[0].name.upper()})
    assert exact.status_code == folded.status_code == 200
    assert b"".join(folded.streaming_content) == b"".join(exact.streaming_content)
    unknown = alice_client.get(URL, {"stance": "Atlantis"})
    assert unknown.status_code == 400
    assert all(s.name in unknown.content.decode() for s in stances)
