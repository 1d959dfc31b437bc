"""Bad input changes nothing and says why: through the service, the import page and the command."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reader import services
from reader.importing.types import ImportFailed
from reader.models import Article, ImportDraft
from tests.commands import run_import
from tests.httpserver import LocalServer, Reply

pytestmark = pytest.mark.django_db

ARTICLE_TEXT = (
    "Café owners in the old town say “prices have doubled” since the spring.\n\n"
    "A coffee that cost €2 last year now costs €4, according to the owners’ association, "
    "which surveyed forty businesses across the district in March.\n\n"
    "The mayor’s office said it would publish its own figures next week, and that "
    "the council had no plans to cap rents on commercial premises this year.\n\n"
    "“We are not asking for charity,” said one owner, Renée Dubois. "
    "“We are asking for a fair rent.”\n"
)
NO_ARTICLE_HTML = (
    b"<!doctype html><html><head><title>Home</title></head><body>"
    b"<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/login'>Log in</a></nav>"
    b"<footer>&copy; 2024</footer></body></html>"
)
BINARY = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def oversized() -> bytes:
    line = b"A sentence of an article that goes on and on for a very long time.\n"
    return line * (settings.IMPORT_MAX_BYTES // len(line) + 1)


BAD_INPUTS = {
    "empty": (b"", "empty"),
    "whitespace-only": (b"   \n\t\r\n  \n", "empty"),
    "binary": (BINARY, "not a text or html"),
    "no-article-html": (NO_ARTICLE_HTML, "no article text"),
}


# ---------------------------------------------------------------- service


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_service_refuses_bad_input_with_a_reason(name, alice):
    raw, reason = BAD_INPUTS[name]
    suffix = ".html" if b"<html" in raw else ".txt"
    with pytest.raises(ImportFailed) as failure:
        services.article_import(raw=raw, user=alice, filename=f"{name}{suffix}")
    assert reason in str(failure.value).lower()
    assert Article.objects.count() == 0


def test_service_refuses_input_over_the_size_limit(alice):
    with pytest.raises(ImportFailed) as failure:
        services.article_import(raw=oversized(), user=alice, filename="huge.txt")
    assert "larger than 5 MB" in str(failure.value)
    assert Article.objects.count() == 0


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_service_decodes_legacy_western_text(codec, alice):
    text = ARTICLE_TEXT if codec == "cp1252" else ARTICLE_TEXT.replace("€", "EUR ")
    text = text if codec == "cp1252" else text.replace("“", '"').replace("”", '"').replace("’", "'")
    raw = text.encode(codec)
    article = services.article_import(raw=raw, user=alice, filename="legacy.txt").article
    assert "Renée Dubois" in article.text
    assert "Café" in article.text or "Café" in article.title
    if codec == "cp1252":
        assert "€4" in article.text
        assert "“We are not asking for charity,”" in article.text
        assert "owners’ association" in article.text
    assert "Ã" not in article.text and "\ufffd" not in article.text
    assert bytes(article.raw_input) == raw


def test_failed_import_leaves_an_existing_article_untouched(article, alice):
    before = (article.title, article.text, article.updated_at)
    with pytest.raises(ImportFailed):
        services.article_import(raw=NO_ARTICLE_HTML, user=alice, filename="nav.html")
    article.refresh_from_db()
    assert (article.title, article.text, article.updated_at) == before
    assert Article.objects.count() == 1


# ---------------------------------------------------------------- import page


def upload(alice_client, name: str, raw: bytes, content_type: str = "text/plain"):
    return alice_client.post(
        reverse("reader:article_import", args=["default"]),
        {"files": [SimpleUploadedFile(name, raw, content_type=content_type)]},
    )


def assert_refused_on_page(response, reason: str) -> None:
    assert 400 <= response.status_code < 500
    page = response.content.decode()
    assert 'role="alert"' in page or "errorlist" in page
    assert reason.lower() in page.lower()
    assert Article.objects.count() == 0
    assert ImportDraft.objects.count() == 0


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_import_page_refuses_bad_upload_with_a_reason(name, alice_client):
    raw, reason = BAD_INPUTS[name]
    suffix = ".html" if b"<html" in raw else ".txt"
    response = upload(alice_client, f"{name}{suffix}", raw)
    assert_refused_on_page(response, reason)


def test_import_page_refuses_upload_over_the_size_limit(alice_client):
    response = upload(alice_client, "huge.txt", oversized())
    assert_refused_on_page(response, "larger than 5 MB")


def test_import_page_refuses_pasted_html_without_an_article(alice_client):
    response = alice_client.post(
        reverse("reader:article_import", args=["default"]), {"text": NO_ARTICLE_HTML.decode()}
    )
    assert_refused_on_page(response, "no article text")


def test_import_page_refuses_whitespace_only_paste(alice_client):
    response = alice_client.post(reverse("reader:article_import", args=["default"]), {"text": "  \n\n\t "})
    assert_refused_on_page(response, "paste an article")


def test_import_page_decodes_a_windows_1252_upload(alice_client):
    response = upload(alice_client, "legacy.txt", ARTICLE_TEXT.encode("cp1252"))
    assert response.status_code == 302
    draft = ImportDraft.objects.get()
    preview = alice_client.get(response.url)
    assert "Renée Dubois" in preview.content.decode()
    save = alice_client.post(reverse("reader:draft_save", args=["default", draft.pk]))
    assert save.status_code == 302
    article = Article.objects.get()
    assert "€4" in article.text and "“We are asking for a fair rent.”" in article.text


# ---------------------------------------------------------------- command


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_command_fails_bad_file_with_a_reason(name, tmp_path: Path):
    raw, reason = BAD_INPUTS[name]
    path = tmp_path / f"{name}{'.html' if b'<html' in raw else '.txt'}"
    path.write_bytes(raw)
    out, err, code = run_import(str(path))
    assert code != 0
    assert "Imported 0" in out and "failed 1" in out
    assert path.name in err and reason in err.lower()
    assert Article.objects.count() == 0


def test_command_fails_oversized_file_with_a_reason(tmp_path: Path):
    path = tmp_path / "huge.txt"
    path.write_bytes(oversized())
    out, err, code = run_import(str(path))
    assert code != 0
    assert "failed 1" in out and "larger than 5 MB" in err
    assert Article.objects.count() == 0


def test_command_imports_good_files_and_still_fails_for_the_bad_one(tmp_path: Path):
    (tmp_path / "good.txt").write_bytes(ARTICLE_TEXT.encode("cp1252"))
    (tmp_path / "bad.bin.txt").write_bytes(BINARY)
    out, err, code = run_import(str(tmp_path))
    assert code != 0
    assert "Imported 1" in out and "failed 1" in out
    assert "bad.bin.txt" in err
    assert "€4" in Article.objects.get().text


# ---------------------------------------------------------------- URLs


@pytest.fixture
def loopback(settings):
    settings.IMPORT_ALLOW_LOOPBACK = True
    settings.IMPORT_FETCH_TIMEOUT = 1.0
    return settings


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/article"


URL_FAILURES = ["404", "refused", "timeout"]


def failing_url(kind: str, server: LocalServer) -> tuple[str, str]:
    if kind == "404":
        return server.url("/missing"), "404"
    if kind == "refused":
        return closed_port_url(), "refused"
    server.route("/slow", Reply(body=b"<p>late</p>", delay=5))
    return server.url("/slow"), "1 s"


@pytest.mark.parametrize("kind", URL_FAILURES)
def test_command_reports_failing_url(kind, loopback):
    with LocalServer() as server:
        url, reason = failing_url(kind, server)
        out, err, code = run_import(url)
    assert code != 0
    assert "failed 1" in out
    assert url in err and reason in err
    assert Article.objects.count() == 0


@pytest.mark.parametrize("kind", URL_FAILURES)
def test_import_page_reports_failing_url(kind, loopback, alice_client):
    with LocalServer() as server:
        url, reason = failing_url(kind, server)
        response = alice_client.post(reverse("reader:article_import", args=["default"]), {"url": url})
    assert_refused_on_page(response, reason)


def test_url_import_refuses_loopback_unless_allowed(settings, alice_client):
    settings.IMPORT_ALLOW_LOOPBACK = False
    with LocalServer() as server:
        server.route("/article", Reply(body=b"<html><body><p>x</p></body></html>"))
        response = alice_client.post(
            reverse("reader:article_import", args=["default"]), {"url": server.url("/article")}
        )
        assert server.requests == []
    assert 400 <= response.status_code < 500
    assert Article.objects.count() == 0
