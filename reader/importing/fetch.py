"""Download one web page for import without letting a URL reach inside our network.

Every hop of a fetch is checked before any traffic is sent: http or https only,
no user name in the URL, a usual port, and every address the host name resolves
to must be on the public internet. The connection then goes to the address that
was checked, not to the name again, so a DNS answer cannot change between the
check and the connection. Time, size and content type are bounded as well.
"""

from __future__ import annotations

import http
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.util.ssl_match_hostname import CertificateError

from reader.importing.decode import binary_kind, looks_like_html
from reader.importing.types import ImportFailed

USER_AGENT = "StanceReader/0.1 (+article import)"
ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

_DEFAULT_PORTS = {"http": 80, "https": 443}
_USUAL_PORTS = frozenset(_DEFAULT_PORTS.values())
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_KNOWN_OTHER_SCHEMES = frozenset(
    {"file", "ftp", "data", "javascript", "mailto", "about", "blob", "view-source", "ws", "wss"}
)
_CHUNK_BYTES = 64 * 1024
# Characters left alone when percent-encoding a path or query: reserved ones keep
# their meaning and existing %XX escapes stay as they are.
_URL_SAFE = "/%:@!$&'()*+,;=-._~?"


@dataclass
class Fetched:
    """A page downloaded for import; ``body`` is the decompressed bytes, not yet decoded."""

    url: str
    final_url: str
    status: int
    content_type: str  # media type without parameters, lower case, e.g. "text/html"
    charset: str | None  # from the Content-Type header, when the server sent one
    body: bytes


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # ASCII host name (or IP literal) as written in the URL
    port: int
    address: str  # the checked IP address that the connection goes to
    request_target: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == _DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def fetch_url(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int | None = None,
    allow_loopback: bool | None = None,
) -> Fetched:
    """Download url for import, following up to five redirects, or raise ImportFailed.

    ``timeout`` bounds connecting and each read, and also the whole download,
    redirects included. The defaults come from the settings ``IMPORT_FETCH_TIMEOUT``,
    ``IMPORT_MAX_BYTES`` and ``IMPORT_ALLOW_LOOPBACK`` (the last lets tests fetch
    from 127.0.0.1 on any port; private networks stay refused).
    """
    timeout, max_bytes, allow_loopback = _limits(timeout, max_bytes, allow_loopback)
    deadline = time.monotonic() + timeout
    current = url.strip()
    for _hop in range(MAX_REDIRECTS + 1):
        target = _check_url(current, allow_loopback=allow_loopback)
        outcome = _download(target, deadline=deadline, timeout=timeout, max_bytes=max_bytes)
        if isinstance(outcome, str):
            current = urljoin(target.url, outcome)
            continue
        status, content_type, charset, body = outcome
        return Fetched(
            url=url,
            final_url=target.url,
            status=status,
            content_type=content_type,
            charset=charset,
            body=body,
        )
    raise ImportFailed(
        f"{url} redirects more than {MAX_REDIRECTS} times; open it in a browser and "
        "import the address it finally shows."
    )


def _limits(
    timeout: float | None, max_bytes: int | None, allow_loopback: bool | None
) -> tuple[float, int, bool]:
    from django.conf import settings

    if timeout is None:
        timeout = getattr(settings, "IMPORT_FETCH_TIMEOUT", DEFAULT_TIMEOUT)
    if max_bytes is None:
        max_bytes = getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    if allow_loopback is None:
        allow_loopback = getattr(settings, "IMPORT_ALLOW_LOOPBACK", False)
    return float(timeout), int(max_bytes), bool(allow_loopback)


def _check_url(url: str, *, allow_loopback: bool) -> _Target:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ImportFailed(f"“{url}” is not a valid web address ({error}).") from error
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        if not scheme or not (parts.netloc or scheme in _KNOWN_OTHER_SCHEMES):
            raise ImportFailed(
                f"“{url}” is not a web address; it should start with http:// or https://."
            )
        raise ImportFailed(
            f"Only http:// and https:// addresses can be imported, not {scheme}: (“{url}”)."
        )
    if "@" in parts.netloc:
        raise ImportFailed(
            f"“{url}” contains a user name or password; remove the part up to “@” and try again."
        )
    if not parts.hostname:
        raise ImportFailed(f"“{url}” has no host name.")
    host = _ascii_host(parts.hostname, url)
    port = port if port is not None else _DEFAULT_PORTS[scheme]
    if port not in _USUAL_PORTS and not allow_loopback:
        raise _unusual_port(url, port)

    literal = _ip_literal(host, url)
    addresses = [literal] if literal is not None else _resolve(host, port)
    for address in addresses:
        reason = _non_public_reason(address, allow_loopback=allow_loopback)
        if reason:
            if literal is None:
                shown = f"{host} resolves to {address}, which"
            elif host != str(address):
                shown = f"{host} (that is, {address})"
            else:
                shown = host
            raise ImportFailed(
                f"Refusing to fetch {url}: {shown} is {reason}, not a public web server."
            )
    if port not in _USUAL_PORTS and not all(address.is_loopback for address in addresses):
        raise _unusual_port(url, port)

    request_target = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        request_target += "?" + quote(parts.query, safe=_URL_SAFE)
    return _Target(
        url=url,
        scheme=scheme,
        host=host,
        port=port,
        address=str(addresses[0]),
        request_target=request_target,
    )


def _unusual_port(url: str, port: int) -> ImportFailed:
    return ImportFailed(
        f"Refusing to fetch {url}: port {port} is an unusual port for a web page; "
        "only the standard ports 80 (http) and 443 (https) are allowed."
    )


def _ascii_host(hostname: str, url: str) -> str:
    if hostname.isascii():
        return hostname
    try:
        return hostname.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ImportFailed(f"“{url}” has a host name that is not valid ({error}).") from error


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _ip_literal(host: str, url: str) -> IPAddress | None:
    """The address an IP-literal host stands for, reading IPv4 the way browsers do.

    ``2130706433``, ``0x7f000001``, ``0177.0.0.1`` and ``127.1`` all mean 127.0.0.1.
    """
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    if not _is_number_label(labels[-1]):
        return None
    numbers = [_parse_ipv4_number(label) for label in labels]
    if len(numbers) > 4 or any(number is None for number in numbers):
        raise ImportFailed(f"“{url}” has a host that is neither a name nor a valid IP address.")
    *leading, last = numbers
    if any(number > 255 for number in leading) or last >= 256 ** (5 - len(numbers)):
        raise ImportFailed(f"“{url}” has an IP address out of range.")
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _is_number_label(label: str) -> bool:
    if label.isdigit() and label.isascii():
        return True
    lowered = label.lower()
    return lowered.startswith("0x") and all(char in "0123456789abcdef" for char in lowered[2:])


def _parse_ipv4_number(label: str) -> int | None:
    lowered = label.lower()
    try:
        if lowered.startswith("0x"):
            return int(lowered[2:] or "0", 16)
        if len(lowered) > 1 and lowered.startswith("0"):
            return int(lowered[1:], 8)
        return int(lowered, 10)
    except ValueError:
        return None


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _name_not_found(host, error) from error
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canonname, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise _name_not_found(host, None)
    return addresses


def _name_not_found(host: str, error: Exception | None) -> ImportFailed:
    """The address could not be reached because its name did not resolve, and why."""
    why = getattr(error, "strerror", None) or (str(error) if error else "no address returned")
    if isinstance(error, socket.gaierror) and error.errno in (
        socket.EAI_AGAIN,
        getattr(socket, "EAI_NODATA", None),
        getattr(socket, "EAI_SYSTEM", None),
    ):
        hint = "the name service did not answer: this server may have no internet access"
    else:
        hint = "the name does not exist; the address may be mistyped, or the site gone"
    return ImportFailed(
        f"The address could not be reached: the server name “{host}” could not be looked up "
        f"(DNS failure: {why}); {hint}."
    )


def _non_public_reason(address: IPAddress, *, allow_loopback: bool) -> str | None:
    """Why address must not be fetched from, or None when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            reason = _non_public_reason(embedded, allow_loopback=False)
            if reason:
                return f"{reason} wrapped in an IPv6 address"
    if address.is_loopback:
        return None if allow_loopback else "a loopback address (this machine)"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address in _SHARED_ADDRESS_SPACE:
        return "a shared (carrier-grade NAT) address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private network address"
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return "a site-local address"
    if not address.is_global:
        return "not a public internet address"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    value = int(address)
    # IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::a.b.c.d) forms.
    if (value >> 32 == 0 and value > 1) or address in _NAT64:
        return ipaddress.IPv4Address(value & 0xFFFFFFFF)
    return None


def _connection(target: _Target, timeout: float) -> HTTPConnection:
    if target.scheme == "http":
        return HTTPConnection(target.address, target.port, timeout=timeout)
    is_ip_literal = _is_ip(target.host)
    return HTTPSConnection(
        target.address,
        target.port,
        timeout=timeout,
        server_hostname=None if is_ip_literal else target.host,
        assert_hostname=target.host,
        cert_reqs="CERT_REQUIRED",
        ca_certs=_ca_bundle(),
    )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _ca_bundle() -> str | None:
    try:
        import certifi
    except ImportError:
        return None  # the system's certificate store
    return certifi.where()


def _download(
    target: _Target, *, deadline: float, timeout: float, max_bytes: int
) -> str | tuple[int, str, str | None, bytes]:
    """Fetch one hop: a redirect's Location, or (status, content type, charset, body)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _deadline_passed(target, timeout)
    connection = _connection(target, min(timeout, remaining))
    expired = threading.Event()
    watchdog: threading.Timer | None = None
    response: urllib3.HTTPResponse | None = None
    try:
        connection.connect()
        # Kept here because http.client hands the socket over to the response and
        # forgets it when the server says "Connection: close".
        sock = connection.sock

        def cut_off() -> None:
            expired.set()
            try:
                # The plain socket's shutdown, also for TLS: it wakes a blocked read at once.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass

        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _deadline_passed(target, timeout)
        watchdog = threading.Timer(remaining, cut_off)
        watchdog.daemon = True
        watchdog.start()
        connection.request(
            "GET",
            target.request_target,
            headers={
                "Host": target.host_header,
                "User-Agent": USER_AGENT,
                "Accept": ACCEPT,
                "Accept-Encoding": "gzip, deflate",
            },
            preload_content=False,
            decode_content=True,
        )
        response = connection.getresponse()
        status = response.status
        if status in _REDIRECT_STATUSES:
            location = response.headers.get("Location", "").strip()
            if not location:
                raise ImportFailed(
                    f"The server answered {status} {_phrase(status, response.reason)} for "
                    f"{target.url} but did not say where to go."
                )
            return location
        if not 200 <= status < 300 or status in (204, 205):
            raise _http_error(status, response.reason, target.url)
        content_type, charset = _parse_content_type(response.headers.get("Content-Type", ""))
        if content_type and content_type not in ACCEPTED_TYPES:
            raise ImportFailed(
                f"The server says {target.url} is “{content_type}”, not a web page or plain "
                "text; only HTML and plain text can be imported."
            )
        declared_length = response.headers.get("Content-Length", "").strip()
        if (
            declared_length.isascii()
            and declared_length.isdigit()
            and int(declared_length) > max_bytes
        ):
            raise _too_large(target.url, max_bytes)
        body = _read_capped(response, max_bytes, target.url)
        if expired.is_set():
            raise _deadline_passed(target, timeout)
        if not content_type:
            content_type = _sniff_content_type(body, target.url)
        return status, content_type, charset, body
    except ImportFailed:
        raise
    except Exception as error:
        if expired.is_set():
            raise _deadline_passed(target, timeout) from error
        raise _network_failure(error, target, timeout) from error
    finally:
        if watchdog is not None:
            watchdog.cancel()
        if response is not None:
            response.close()
        connection.close()


def _read_capped(response: urllib3.HTTPResponse, max_bytes: int, url: str) -> bytes:
    body = bytearray()
    while True:
        chunk = response.read(min(_CHUNK_BYTES, max_bytes + 1 - len(body)), decode_content=True)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > max_bytes:
            raise _too_large(url, max_bytes)


def _parse_content_type(header: str) -> tuple[str, str | None]:
    media_type, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media_type.strip().lower(), charset


def _sniff_content_type(body: bytes, url: str) -> str:
    kind = binary_kind(body)
    if kind:
        raise ImportFailed(
            f"{url} looks like {kind}, not a web page or plain text; "
            "only HTML and plain text can be imported."
        )
    return "text/html" if looks_like_html(body[:8192].decode("latin-1")) else "text/plain"


def _phrase(status: int, reason: str | None) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return reason or "an error"


def _http_error(status: int, reason: str | None, url: str) -> ImportFailed:
    message = f"The server answered {status} {_phrase(status, reason)} for {url}"
    if status in (404, 410):
        hint = "check the address; the page may have moved or been removed."
    elif status in (401, 403, 451):
        hint = (
            "the site refuses automated downloads or needs a login; save the page "
            "from your browser and import the file instead."
        )
    elif status == 429:
        hint = "the site is limiting requests; try again later."
    elif status >= 500:
        hint = "the site has a problem of its own; try again later."
    else:
        hint = "import the page from a file instead."
    return ImportFailed(f"{message}; {hint}")


def _too_large(url: str, max_bytes: int) -> ImportFailed:
    return ImportFailed(
        f"The page at {url} is larger than {_human_size(max_bytes)}, the most that can be "
        "imported; save the article text to a file and import that instead."
    )


def _human_size(size: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


def _deadline_passed(target: _Target, timeout: float) -> ImportFailed:
    return ImportFailed(
        f"Downloading {target.url} took longer than {timeout:g} s, so it was stopped; "
        "the site may be slow or overloaded; try again later."
    )


def _refused(where: str, target: _Target) -> ImportFailed:
    return ImportFailed(
        f"The address could not be reached: {where} refused the connection for {target.url} "
        "(no web server answers there)."
    )


def _network_failure(error: Exception, target: _Target, timeout: float) -> ImportFailed:
    where = f"{target.host} (port {target.port})"
    if isinstance(error, NewConnectionError):
        if isinstance(error.__cause__ or error.__context__, ConnectionRefusedError) or (
            "refused" in str(error).lower()
        ):
            return _refused(where, target)
        return ImportFailed(
            f"The address could not be reached: connecting to {where} for {target.url} "
            f"failed ({error})."
        )
    if isinstance(error, ConnectTimeoutError):
        return ImportFailed(
            f"The address could not be reached: connecting to {where} for {target.url} "
            f"timed out after {timeout:g} s; the site may be down; try again later."
        )
    if isinstance(error, ReadTimeoutError | TimeoutError | socket.timeout):
        return ImportFailed(
            f"{where} did not answer within {timeout:g} s for {target.url}; "
            "the site may be slow or overloaded; try again later."
        )
    if isinstance(
        error,
        ssl.SSLError | ssl.CertificateError | CertificateError | urllib3.exceptions.SSLError,
    ):
        return ImportFailed(
            f"The secure (https) connection to {where} failed for {target.url}: {error}. "
            "The site's certificate may be invalid or expired."
        )
    if isinstance(error, DecodeError):
        return ImportFailed(
            f"{target.url} arrived with damaged compression and could not be unpacked."
        )
    if isinstance(error, ConnectionRefusedError):
        return _refused(where, target)
    if isinstance(
        error, OSError | ValueError | http.client.HTTPException | urllib3.exceptions.HTTPError
    ):
        return ImportFailed(
            f"The connection to {where} broke while downloading {target.url} ({error}); "
            "try again later."
        )
    raise error
