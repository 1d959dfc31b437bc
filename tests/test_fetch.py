from __future__ import annotations

import ipaddress
import socket
import ssl
import subprocess
import threading
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from reader.importing import fetch as fetch_module
from reader.importing.decode import decode_bytes
from reader.importing.fetch import USER_AGENT, fetch_url
from reader.importing.types import ImportFailed
from tests.httpserver import LocalServer, Reply, chunks, gzip_bomb, repeated

MB = 1024 * 1024
_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect


@dataclass
class Network:
    """What the code under test asked of the network during one test."""

    names: dict[str, list[str] | Exception] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    connections: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    """Fake DNS for names in ``network.names``; fail loudly on any other lookup or on a
    connection to anything but 127.0.0.1, so no test can send traffic off this machine."""
    state = Network()

    def getaddrinfo(host, port, *args, **kwargs):  # noqa: ANN001, ANN202
        host = host.decode() if isinstance(host, bytes) else host
        state.lookups.append(host)
        answer = state.names.get(host)
        if isinstance(answer, Exception):
            raise answer
        if answer is not None:
            answer = answer if isinstance(answer, list) else [answer]
            return [
                (
                    socket.AF_INET6 if ":" in address else socket.AF_INET,
                    socket.SOCK_STREAM,
                    socket.IPPROTO_TCP,
                    "",
                    (address, port),
                )
                for address in answer
            ]
        ipaddress.ip_address(host)  # anything but an IP literal would be a real DNS query
        return _real_getaddrinfo(host, port, *args, **kwargs)

    def connect(sock: socket.socket, address: tuple) -> None:
        state.connections.append(address[0])
        if address[0] not in ("127.0.0.1", "::1"):
            raise AssertionError(f"a test tried to connect to {address[0]}")
        return _real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return state


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as local:
        yield local


def refused(url: str, network: Network, **kwargs: object) -> str:
    """The message fetch_url refuses url with, checking that nothing was connected to."""
    with pytest.raises(ImportFailed) as caught:
        fetch_url(url, **kwargs)
    assert network.connections == []
    return str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example/article.txt",
        "javascript:alert(1)",
        "data:text/html,<p>hi</p>",
        "gopher://news.example/",
    ],
)
def test_refuses_schemes_other_than_http_and_https(url: str, network: Network) -> None:
    message = refused(url, network, allow_loopback=True)
    assert "http://" in message


@pytest.mark.parametrize("url", ["http://", "http:///article", "news.example/article"])
def test_refuses_address_without_host(url: str, network: Network) -> None:
    refused(url, network)


@pytest.mark.parametrize(
    "url", ["http://user:secret@news.example/", "http://news.example@127.0.0.1/"]
)
def test_refuses_user_name_or_password_in_url(url: str, network: Network) -> None:
    assert "user name or password" in refused(url, network, allow_loopback=True)
    assert network.lookups == []


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/", "http://127.8.9.10/", "http://[::1]/", "http://localhost/"]
)
def test_refuses_loopback_address(url: str, network: Network) -> None:
    network.names["localhost"] = ["127.0.0.1"]
    assert "loopback" in refused(url, network, allow_loopback=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://10.255.1.2/admin",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "https://192.168.0.10/",
        "http://[fc00::1]/",
        "http://[fd12:3456::1]/",
    ],
)
def test_refuses_private_address_even_when_loopback_is_allowed(url: str, network: Network) -> None:
    assert "private" in refused(url, network, allow_loopback=True)


@pytest.mark.parametrize("allow_loopback", [False, True])
@pytest.mark.parametrize(
    "url",
    ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://[fe80::1%25eth0]/"],
)
def test_refuses_link_local_address(url: str, allow_loopback: bool, network: Network) -> None:
    assert "link-local" in refused(url, network, allow_loopback=allow_loopback)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://100.64.0.1/", "shared"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[ff02::1]/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://255.255.255.255/", "not a public web server"),
        ("http://192.0.2.1/", "not a public web server"),  # documentation range
    ],
)
def test_refuses_other_non_public_ranges(url: str, reason: str, network: Network) -> None:
    assert reason in refused(url, network, allow_loopback=True)


@pytest.mark.parametrize(
    "url",
    [
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[2002:7f00:1::]/",  # 6to4 around 127.0.0.1
        "http://[2002:a00:1::]/",  # 6to4 around 10.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 around 169.254.169.254
    ],
)
def test_refuses_ipv4_wrapped_in_ipv6_even_when_loopback_is_allowed(
    url: str, network: Network
) -> None:
    assert "wrapped in an IPv6 address" in refused(url, network, allow_loopback=True)


@pytest.mark.parametrize(
    ("host", "meaning"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0X7F000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("0xA9FEA9FE", "169.254.169.254"),
        ("2852039166", "169.254.169.254"),
        ("10.1", "10.0.0.1"),
    ],
)
def test_refuses_numeric_forms_of_non_public_addresses(
    host: str, meaning: str, network: Network
) -> None:
    assert fetch_module._ip_literal(host, host) == ipaddress.ip_address(meaning)
    message = refused(f"http://{host}/", network, allow_loopback=False)
    assert "Refusing to fetch" in message


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0x7f.1"])
def test_numeric_host_forms_mean_what_the_system_resolver_says(host: str) -> None:
    system = _real_getaddrinfo(host, 80, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    assert fetch_module._ip_literal(host, host) == ipaddress.ip_address(system[0][4][0])


@pytest.mark.parametrize("url", ["http://256.1.1.1/", "http://1.2.3.4.5/", "http://0x1g.1/"])
def test_refuses_malformed_numeric_host(url: str, network: Network) -> None:
    refused(url, network, allow_loopback=True)
    assert network.lookups == []


def test_refuses_name_that_resolves_to_loopback(network: Network) -> None:
    network.names["news.example"] = ["127.0.0.1"]
    message = refused("http://news.example/article", network, allow_loopback=False)
    assert "news.example resolves to 127.0.0.1" in message


def test_refuses_name_when_any_of_its_addresses_is_private(network: Network) -> None:
    network.names["mixed.example"] = ["93.184.216.34", "10.0.0.7"]
    message = refused("https://mixed.example/", network, allow_loopback=True)
    assert "10.0.0.7" in message and "private" in message


@pytest.mark.parametrize("allow_loopback", [False, True])
@pytest.mark.parametrize(
    "url",
    ["http://93.184.216.34:8080/", "https://93.184.216.34:22/", "http://[2606:4700::1]:6379/"],
)
def test_refuses_unusual_port_on_public_host(
    url: str, allow_loopback: bool, network: Network
) -> None:
    assert "unusual port" in refused(url, network, allow_loopback=allow_loopback)


def test_refuses_unusual_port_on_name_before_looking_it_up(network: Network) -> None:
    network.names["news.example"] = ["93.184.216.34"]
    assert "unusual port" in refused("http://news.example:25/", network)
    assert network.lookups == []


def test_refuses_loopback_server_on_its_port_when_loopback_is_off(
    server: LocalServer, network: Network
) -> None:
    server.route("/", Reply(body=b"<p>hi</p>"))
    message = refused(server.url("/"), network, allow_loopback=False)
    assert "unusual port" in message
    assert server.requests == []


def test_settings_allow_loopback_when_argument_is_not_given(
    server: LocalServer, settings: object
) -> None:
    server.route("/", Reply(body=b"<p>hi</p>"))
    settings.IMPORT_ALLOW_LOOPBACK = True
    assert fetch_url(server.url("/")).body == b"<p>hi</p>"
    settings.IMPORT_ALLOW_LOOPBACK = False
    with pytest.raises(ImportFailed):
        fetch_url(server.url("/"))


def test_settings_cap_size_when_argument_is_not_given(
    server: LocalServer, settings: object
) -> None:
    server.route("/", Reply(body=b"x" * 3000, content_type="text/plain"))
    settings.IMPORT_MAX_BYTES = 2048
    with pytest.raises(ImportFailed, match="larger than 2 KB"):
        fetch_url(server.url("/"), allow_loopback=True)


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://10.0.0.1/admin", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::ffff:169.254.169.254]/", "link-local"),
        ("http://intranet.example/", "private"),
        ("file:///etc/passwd", "http://"),
        ("http://0xA9FEA9FE/", "link-local"),
    ],
)
def test_refuses_redirect_to_non_public_address(
    location: str, reason: str, server: LocalServer, network: Network
) -> None:
    network.names["intranet.example"] = ["10.1.2.3"]
    server.redirect("/story", location)
    with pytest.raises(ImportFailed, match=reason):
        fetch_url(server.url("/story"), allow_loopback=True)
    assert [request.path for request in server.requests] == ["/story"]
    assert set(network.connections) == {"127.0.0.1"}


def test_refuses_redirect_from_public_looking_name_to_loopback(
    server: LocalServer, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A public name whose server redirects to this machine: every hop is checked."""
    network.names["news.example"] = ["127.0.0.1"]
    server.redirect("/story", f"http://127.0.0.1:{server.port}/secret")
    original = fetch_module._non_public_reason

    def public_news_server(address, *, allow_loopback):  # noqa: ANN001, ANN202
        # Treat only the first hop (news.example) as a public server.
        if not server.requests:
            return None
        return original(address, allow_loopback=allow_loopback)

    monkeypatch.setattr(fetch_module, "_non_public_reason", public_news_server)
    monkeypatch.setattr(fetch_module, "_USUAL_PORTS", frozenset({80, 443, server.port}))
    with pytest.raises(ImportFailed, match="loopback"):
        fetch_url(server.url("/story", host="news.example"), allow_loopback=False)
    assert [request.path for request in server.requests] == ["/story"]


def test_follows_redirects_to_the_final_page(server: LocalServer) -> None:
    server.redirect("/old", "/newer", status=301)
    server.redirect("/newer", server.url("/article?id=7"), status=308)
    server.route("/article", Reply(body=b"<p>The article.</p>"))
    fetched = fetch_url(server.url("/old"), allow_loopback=True)
    assert fetched.url == server.url("/old")
    assert fetched.final_url == server.url("/article?id=7")
    assert fetched.body == b"<p>The article.</p>"


def test_gives_up_after_five_redirects(server: LocalServer) -> None:
    server.redirect("/loop", "/loop")
    with pytest.raises(ImportFailed, match="redirects more than 5 times"):
        fetch_url(server.url("/loop"), allow_loopback=True)
    assert len(server.requests) == 6


def test_connects_to_the_checked_address_and_sends_the_name_as_host(
    server: LocalServer, network: Network
) -> None:
    answers = iter([["127.0.0.1"]])

    def rebinding_resolver() -> None:
        # A DNS-rebinding server answers the check with one address and the connection
        # with another; the fetch must not ask twice.
        network.names["news.example"] = next(answers, ["10.0.0.1"])

    rebinding_resolver()
    server.route("/", Reply(body=b"<p>hello</p>"))
    fetched = fetch_url(server.url("/", host="news.example"), allow_loopback=True)
    assert fetched.body == b"<p>hello</p>"
    assert network.lookups.count("news.example") == 1
    assert network.connections == ["127.0.0.1"]
    assert server.requests[0].headers["host"] == f"news.example:{server.port}"


def test_sends_user_agent_and_accept_headers(server: LocalServer) -> None:
    server.route("/", Reply(body=b"<p>hi</p>"))
    fetch_url(server.url("/"), allow_loopback=True)
    headers = server.requests[0].headers
    assert headers["user-agent"] == USER_AGENT
    assert "text/html" in headers["accept"]


def test_fetches_html_with_charset_from_header(server: LocalServer) -> None:
    page = "<html><body><p>“Smart quotes”, café, 5 €</p></body></html>"
    server.route(
        "/page", Reply(body=page.encode("cp1252"), content_type="text/html; charset=windows-1252")
    )
    fetched = fetch_url(server.url("/page"), allow_loopback=True)
    assert (fetched.status, fetched.content_type, fetched.charset) == (
        200,
        "text/html",
        "windows-1252",
    )
    assert decode_bytes(fetched.body, declared_charset=fetched.charset) == page


def test_fetches_windows_1252_page_without_charset(server: LocalServer) -> None:
    page = "<html><body><p>“Smart quotes”, café, 5 €</p></body></html>"
    server.route("/page", Reply(body=page.encode("cp1252"), content_type="text/html"))
    fetched = fetch_url(server.url("/page"), allow_loopback=True)
    assert fetched.charset is None
    assert decode_bytes(fetched.body, declared_charset=fetched.charset) == page


def test_decompresses_gzip_page(server: LocalServer) -> None:
    import gzip

    page = "<p>Compressed café</p>".encode()
    server.route("/", Reply(body=gzip.compress(page), headers={"Content-Encoding": "gzip"}))
    assert fetch_url(server.url("/"), allow_loopback=True).body == page


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        (None, b"<!doctype html><html><body><p>x</p></body></html>", "text/html"),
        (None, b"Just some words\n\nof an article.", "text/plain"),
        ("text/plain; charset=utf-8", b"words", "text/plain"),
        ("application/xhtml+xml", b"<html xmlns='http://www.w3.org/1999/xhtml'/>", None),
    ],
)
def test_accepts_text_types_and_sniffs_a_missing_one(
    content_type: str | None, body: bytes, expected: str | None, server: LocalServer
) -> None:
    server.route("/", Reply(body=body, content_type=content_type))
    fetched = fetch_url(server.url("/"), allow_loopback=True)
    assert fetched.content_type == (expected or content_type)


@pytest.mark.parametrize(
    "content_type",
    ["application/pdf", "image/png", "application/octet-stream", "application/json"],
)
def test_refuses_other_content_types(content_type: str, server: LocalServer) -> None:
    server.route("/file", Reply(body=b"%PDF-1.4 ...", content_type=content_type))
    with pytest.raises(ImportFailed, match=f"“{content_type}”"):
        fetch_url(server.url("/file"), allow_loopback=True)


def test_refuses_binary_body_without_content_type(server: LocalServer) -> None:
    server.route("/image", Reply(body=b"\x89PNG\r\n\x1a\n" + bytes(64), content_type=None))
    with pytest.raises(ImportFailed, match="PNG image"):
        fetch_url(server.url("/image"), allow_loopback=True)


@pytest.mark.parametrize(
    ("status", "phrase"),
    [
        (404, "404 Not Found"),
        (410, "410 Gone"),
        (403, "403 Forbidden"),
        (500, "500 Internal Server Error"),
        (503, "503 Service Unavailable"),
    ],
)
def test_reports_http_error_status(status: int, phrase: str, server: LocalServer) -> None:
    server.route("/gone", Reply(status=status, body=b"<p>error page</p>"))
    url = server.url("/gone")
    with pytest.raises(ImportFailed, match=f"The server answered {phrase} for {url}"):
        fetch_url(url, allow_loopback=True)


def test_cuts_off_huge_chunked_response_at_the_cap_in_little_memory(server: LocalServer) -> None:
    server.route("/huge", Reply(body=repeated(b"a" * 65536, 50 * MB), content_type="text/plain"))
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailed, match="larger than 1 MB"):
            fetch_url(server.url("/huge"), allow_loopback=True, max_bytes=MB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB


def test_cuts_off_huge_response_without_length_at_the_cap(server: LocalServer) -> None:
    server.route(
        "/huge",
        Reply(body=repeated(b"a" * 65536, 50 * MB), content_type="text/plain", framing="close"),
    )
    with pytest.raises(ImportFailed, match="larger than 1 MB"):
        fetch_url(server.url("/huge"), allow_loopback=True, max_bytes=MB)


def test_refuses_declared_length_over_the_cap_before_reading(server: LocalServer) -> None:
    server.route(
        "/huge",
        Reply(body=repeated(b"a" * 65536, 50 * MB), headers={"Content-Length": str(50 * MB)}),
    )
    with pytest.raises(ImportFailed, match="larger than 5 MB"):
        fetch_url(server.url("/huge"), allow_loopback=True, max_bytes=5 * MB)


def test_cuts_off_gzip_bomb_at_the_cap_in_little_memory(server: LocalServer) -> None:
    bomb = gzip_bomb(50 * MB)
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailed, match="larger than 1 MB"):
            fetch_url(server.url("/bomb"), allow_loopback=True, max_bytes=MB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(bomb) < MB
    assert peak < 8 * MB


def test_slow_drip_is_cut_off_by_the_total_deadline(server: LocalServer) -> None:
    # Each byte arrives well within the read timeout; only the deadline can stop this.
    server.route(
        "/drip", Reply(body=chunks(b"x" * 200), chunk_delay=0.1, content_type="text/plain")
    )
    with pytest.raises(ImportFailed, match="took longer than 1 s"):
        fetch_url(server.url("/drip"), allow_loopback=True, timeout=1)


def test_slow_drip_of_a_page_without_length_is_cut_off(server: LocalServer) -> None:
    server.route(
        "/drip",
        Reply(body=chunks(b"x" * 200), chunk_delay=0.1, content_type="text/plain", framing="close"),
    )
    with pytest.raises(ImportFailed, match="took longer than 1 s"):
        fetch_url(server.url("/drip"), allow_loopback=True, timeout=1)


def test_reports_timeout_when_server_does_not_answer(server: LocalServer) -> None:
    server.route("/silent", Reply(delay=30, body=b"late"))
    with pytest.raises(ImportFailed, match=r"0\.5 s"):
        fetch_url(server.url("/silent"), allow_loopback=True, timeout=0.5)


def test_reports_refused_connection() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(
        ImportFailed, match="^The address could not be reached: .* refused the connection"
    ):
        fetch_url(f"http://127.0.0.1:{port}/", allow_loopback=True, timeout=2)


def test_reports_unknown_host_name(network: Network) -> None:
    network.names["nowhere.example"] = socket.gaierror(
        socket.EAI_NONAME, "Name or service not known"
    )
    message = refused("https://nowhere.example/article", network)
    assert message.startswith("The address could not be reached")
    assert "“nowhere.example” could not be looked up (DNS failure: Name or service not known)" in message
    assert "typos" not in message


def test_reports_a_name_service_that_does_not_answer_as_no_internet(network: Network) -> None:
    network.names["news.example"] = socket.gaierror(
        socket.EAI_AGAIN, "Temporary failure in name resolution"
    )
    message = refused("https://news.example/article", network)
    assert message.startswith("The address could not be reached")
    assert "Temporary failure in name resolution" in message
    assert "no internet access" in message


def test_reports_tls_failure_and_sends_the_name_for_sni(network: Network) -> None:
    """https goes to the checked address, with the URL's name in the TLS handshake."""
    network.names["secure.example"] = ["127.0.0.1"]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    client_hello = bytearray()

    def answer_with_plain_http() -> None:
        connection, _ = listener.accept()
        with connection:
            client_hello.extend(connection.recv(4096))
            connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=answer_with_plain_http, daemon=True)
    thread.start()
    try:
        port = listener.getsockname()[1]
        with pytest.raises(ImportFailed, match="secure"):
            fetch_url(f"https://secure.example:{port}/", allow_loopback=True, timeout=2)
    finally:
        thread.join(timeout=5)
        listener.close()
    assert b"secure.example" in client_hello
    assert network.connections == ["127.0.0.1"]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for secure.example, made with the openssl command."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "2", "-subj", "/CN=secure.example",
            "-addext", "subjectAltName=DNS:secure.example",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


@pytest.fixture
def tls_server(certificate: tuple[str, str]) -> Iterator[LocalServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    with LocalServer(tls=context) as local:
        yield local


def test_fetches_https_from_checked_address_verifying_the_name(
    tls_server: LocalServer,
    certificate: tuple[str, str],
    network: Network,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    network.names["secure.example"] = ["127.0.0.1"]
    monkeypatch.setattr(fetch_module, "_ca_bundle", lambda: certificate[0])
    tls_server.route("/", Reply(body=b"<p>over https</p>"))
    fetched = fetch_url(tls_server.url("/", host="secure.example"), allow_loopback=True)
    assert fetched.body == b"<p>over https</p>"
    assert network.connections == ["127.0.0.1"]
    assert tls_server.requests[0].headers["host"] == f"secure.example:{tls_server.port}"


def test_refuses_https_certificate_for_another_name(
    tls_server: LocalServer,
    certificate: tuple[str, str],
    network: Network,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    network.names["impostor.example"] = ["127.0.0.1"]
    monkeypatch.setattr(fetch_module, "_ca_bundle", lambda: certificate[0])
    tls_server.route("/", Reply(body=b"<p>over https</p>"))
    with pytest.raises(ImportFailed, match="certificate"):
        fetch_url(tls_server.url("/", host="impostor.example"), allow_loopback=True, timeout=2)
    assert tls_server.requests == []


def test_refuses_untrusted_https_certificate(tls_server: LocalServer, network: Network) -> None:
    network.names["secure.example"] = ["127.0.0.1"]
    tls_server.route("/", Reply(body=b"<p>over https</p>"))
    with pytest.raises(ImportFailed, match="certificate"):
        fetch_url(tls_server.url("/", host="secure.example"), allow_loopback=True, timeout=2)
    assert tls_server.requests == []


def test_reports_a_connection_that_times_out_as_unreachable() -> None:
    from urllib3.exceptions import ConnectTimeoutError

    target = fetch_module._check_url("http://127.0.0.1:9/article", allow_loopback=True)
    error = fetch_module._network_failure(ConnectTimeoutError(None, "timed out"), target, 3)
    assert str(error).startswith("The address could not be reached: connecting to 127.0.0.1")
    assert "timed out after 3 s" in str(error)
