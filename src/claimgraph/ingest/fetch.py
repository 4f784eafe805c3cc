"""URL -> Download (final URL, content type, body bytes), within the settings' limits.

Redirects are followed by hand so that every hop is checked (scheme, private address) and
counted against ``max_redirects``. The body is streamed raw and decompressed here with a
bound on each step, so a gzip bomb is stopped once ``max_download_bytes`` of *decoded*
bytes have been seen rather than after it has filled memory. Every failure is a FetchError
(or TooLargeError) naming the URL.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import FetchError, TooLargeError
from ..settings import Settings

_CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
# The read timeout bounds each pause; this bounds a server that drips bytes forever.
_TOTAL_TIME_FACTOR = 3.0
ACCEPT = "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, text/xml, text/plain;q=0.9, */*;q=0.5"


@dataclass(frozen=True, slots=True)
class Download:
    url: str  # after redirects
    content_type: str  # media type, lower case, without parameters
    charset: str | None  # as declared in the Content-Type header
    body: bytes


def check_url(url: str, settings: Settings) -> None:
    """Refuse schemes other than http(s) and, unless allowed, private or local addresses."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"}:
        raise FetchError(
            f"unsupported URL scheme {parts.scheme or '(none)'!r}; only http and https", subject=url
        )
    if not parts.hostname:
        raise FetchError("URL has no host", subject=url)
    if not settings.allow_private_addresses and _is_private(parts.hostname, parts.port):
        raise FetchError("refused: the host is a private or local address", subject=url)


def _is_private(host: str, port: int | None) -> bool:
    try:
        infos = socket.getaddrinfo(host, port or 80, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return False  # unresolvable: the request itself will fail with a clear error
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            return True
    return False


class _Inflater:
    """Content-Encoding gzip/deflate undone in bounded steps (identity passes through)."""

    def __init__(self, encoding: str, url: str) -> None:
        self.url = url
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        unknown = [c for c in codings if c not in {"gzip", "x-gzip", "deflate", "identity"}]
        if unknown:
            raise FetchError(f"unsupported content encoding {unknown[0]!r}", subject=url)
        self.layers = [zlib.decompressobj(47) for c in codings if c != "identity"]

    def feed(self, data: bytes) -> Iterator[bytes]:
        pieces = [data]
        for layer in reversed(self.layers):
            pieces = [out for piece in pieces for out in self._inflate(layer, piece)]
        yield from pieces

    def _inflate(self, layer: zlib._Decompress, data: bytes) -> Iterator[bytes]:
        try:
            while data:
                out = layer.decompress(data, _CHUNK)
                data = layer.unconsumed_tail
                yield out
        except zlib.error as exc:
            raise FetchError(f"corrupt compressed body ({exc})", subject=self.url) from None


def _status_error(response: httpx.Response, url: str) -> FetchError:
    reason = response.reason_phrase or ""
    return FetchError(f"HTTP {response.status_code} {reason}".strip(), subject=url)


def _read_body(response: httpx.Response, url: str, settings: Settings) -> bytes:
    limit = settings.max_download_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLargeError(f"response of {declared} bytes exceeds max_download_bytes={limit}", subject=url)
    chunks, coding = _raw_chunks(response)
    inflater = _Inflater(coding, url)
    deadline = time.monotonic() + settings.fetch_timeout * _TOTAL_TIME_FACTOR
    body = bytearray()
    for raw in chunks:
        for piece in inflater.feed(raw):
            body += piece
            if len(body) > limit:
                raise TooLargeError(f"response exceeds max_download_bytes={limit}", subject=url)
        if time.monotonic() > deadline:
            raise FetchError("download took too long", subject=url)
    return bytes(body)


def _raw_chunks(response: httpx.Response) -> tuple[Iterable[bytes], str]:
    """The body's raw chunks and the content coding still to undo."""
    if response.is_stream_consumed:
        # Responses built in memory (mock transports) arrive already read and decoded.
        return [response.content], "identity"
    return response.iter_raw(_CHUNK), response.headers.get("content-encoding", "identity")


def _request(client: httpx.Client, url: str, settings: Settings) -> httpx.Request:
    headers = {"User-Agent": settings.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    return client.build_request("GET", url, headers=headers, timeout=httpx.Timeout(settings.fetch_timeout))


def _download(client: httpx.Client, url: str, settings: Settings) -> Download:
    seen: set[str] = set()
    for _ in range(settings.max_redirects + 1):
        check_url(url, settings)
        seen.add(url)
        response = client.send(_request(client, url, settings), stream=True, follow_redirects=False)
        try:
            if response.status_code in _REDIRECTS and "location" in response.headers:
                url = urljoin(url, response.headers["location"])
                if url in seen:
                    raise FetchError("redirect loop", subject=url)
                continue
            return _complete(response, url, settings)
        finally:
            response.close()
    raise FetchError(f"more than {settings.max_redirects} redirects", subject=url)


def _complete(response: httpx.Response, url: str, settings: Settings) -> Download:
    if response.status_code >= 400:
        raise _status_error(response, url)
    media, _, params = response.headers.get("content-type", "").partition(";")
    charset = params if "charset" in params.lower() else None
    return Download(url, media.strip().lower(), charset, _read_body(response, url, settings))


def fetch(client: httpx.Client, url: str, settings: Settings) -> Download:
    """GET ``url`` with the settings' timeout, redirect and size limits."""
    try:
        return _download(client, url, settings)
    except (FetchError, TooLargeError) as exc:
        if exc.subject in (None, url):
            raise
        # Name the input the user gave; the hop that failed goes into the message.
        message = str(exc).removeprefix(f"{exc.subject}: ")
        raise type(exc)(f"{message} (redirected to {exc.subject})", subject=url) from None
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {settings.fetch_timeout:g}s", subject=url) from None
    except httpx.ConnectError as exc:
        raise FetchError(f"connection failed ({_short(exc)})", subject=url) from None
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        raise FetchError(f"{type(exc).__name__}: {_short(exc)}", subject=url) from None


def _short(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def new_client(settings: Settings) -> httpx.Client:
    """The client used when the caller injects none."""
    return httpx.Client(timeout=settings.fetch_timeout, follow_redirects=False, trust_env=True)
