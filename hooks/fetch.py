"""Fetch many schools' reports, feeds and sitemaps at once, each within bounds: time, retries, size,
addresses; and check that a report's post addresses answer (``Check``), within the same bounds.

A report is someone else's server: it may be slow, down, huge, compressed into a bomb,
or point us at the district's own network. One bad source never stops the others, and
every failure comes back as a value naming what went wrong (``FetchFailure``), never as
an exception out of ``fetch_all``. Sources are http(s) URLs, fetched concurrently with
httpx, or local paths (read with the same size limit), relative to the folder of the
schools list.

Size. The raw body is read (``aiter_raw``) and decoded here, a bounded piece at a time
(``zlib`` with ``max_length``), so the limit counts decoded bytes as they come and a
compressed bomb never grows past it in memory. One layer of gzip or deflate is read;
identity is no layer; stacked layers ("gzip, gzip") and any other coding (br, zstd,
compress: httpx would need extra packages, and no school needs them) are refused.

Addresses. The machine running the roll-up may see what the internet cannot: its own
services on loopback, the office network, the cloud metadata address 169.254.169.254.
A school's server must not reach them through us, by a redirect or by its DNS. So
every connection goes through ``_GuardedBackend``, httpcore's network backend for our
pools: it resolves the host itself (the event loop's getaddrinfo), refuses if any
address is internal (``is_internal``), and connects to the address it checked, by IP;
httpcore still sends the name as Host and in TLS (SNI, certificate check), which it
takes from the URL, not from the socket. Checking where we connect, rather than the URL
before the request, is what defeats a name that resolves differently on the second
lookup (DNS rebinding), and it covers every redirect, which we follow ourselves (at most
five, http(s) only) to say which one was refused. The exception: a school whose address
in the list is itself an internal address, written as one (a literal 127.0.0.1 or
[::1], or ``localhost``: a district testing on its own machine), was put there by the
district, so its requests go through a second pool whose backend allows internal
addresses. Two pools, not one, so a kept-alive connection of an allowed school is never
reused for another school. A name that merely resolves to an internal address does not
count: whoever runs that name's DNS is not the district.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import ssl
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import Any, Generic, TypeAlias, TypeVar, cast
from urllib.parse import urlsplit

import httpcore
import httpx

from .messages import os_reason

T = TypeVar("T")

USER_AGENT = "chuyen-muc-binh-dang-gioi-district/1"
MAX_REDIRECTS = 5
# A report, a feed or a sitemap; a post page (checked for its status alone) answers whatever it is.
ACCEPT = "application/json, application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# NAT64's well-known prefix: the last 32 bits are the IPv4 address its gateway connects to.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 10.0  # seconds to connect, and between two reads; three times that for a whole attempt
    retries: int = 2  # more attempts after a timeout, a refused connection or a 5xx
    max_bytes: int = 2 * 1024 * 1024  # decoded, and on the wire
    concurrency: int = 32
    backoff: float = 0.2  # seconds before the first retry, doubled each time


@dataclass(frozen=True)
class FetchFailure:
    kind: str  # "unreachable" (no answer, an HTTP error) or "invalid" (an answer we refuse)
    message: str  # Vietnamese, for the dashboard


def is_url(source: str) -> bool:
    return urlsplit(source).scheme.lower() in ("http", "https")


def is_internal(address: IPAddress) -> bool:
    """Whether the address is one the internet cannot reach: loopback, link-local, private,
    shared, multicast, reserved, unspecified. An IPv6 address that carries an IPv4 one
    (mapped, NAT64, 6to4) is judged by that one, since that is where it leads."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in _NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            return is_internal(inner)
    return address.is_multicast or address.is_reserved or not address.is_global


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address of ``host``, in the resolver's order; a literal address is itself."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: dict[IPAddress, None] = {}
    for _family, _type, _proto, _name, sockaddr in infos:
        found[ipaddress.ip_address(sockaddr[0])] = None
    return list(found)


def fetch_all(sources: Sequence[str], base: Path, limits: FetchLimits) -> list[bytes | FetchFailure]:
    """The body of each source, in order, or why there is none."""
    return fetch_each(sources, base, limits, lambda _, body: body)


A = TypeVar("A")
# How many of one school's next requests (its report's post pages, its sitemap index's sitemaps)
# are asked at once, within the client's limit for every school together.
STEP_AT_ONCE = 8


@dataclass(frozen=True)
class Follow(Generic[T]):
    """A digest's next step: the bodies of more sources (a sitemap index's sitemaps), read by the
    same worker, STEP_AT_ONCE at a time, handed to ``then`` in order."""

    sources: Sequence[str]
    then: Callable[[list[bytes | FetchFailure]], T | Follow[T] | Check[T]]


@dataclass(frozen=True)
class Check(Generic[T]):
    """A digest's next step: the HTTP status of each address (a report's posts), from its own host,
    its body never read; asked by the same worker, STEP_AT_ONCE at a time, handed to ``then`` in
    order."""

    urls: Sequence[str]
    then: Callable[[list[int | FetchFailure]], T | Follow[T] | Check[T]]


Step: TypeAlias = T | Follow[T] | Check[T]


def fetch_each(
    sources: Sequence[str],
    base: Path,
    limits: FetchLimits,
    digest: Callable[[int, bytes | FetchFailure], Step[T]],
) -> list[T]:
    """``digest(index, body)`` of each source, in order, called as each body arrives: a thousand
    schools' bodies are never all held at once, only what ``digest`` keeps of each.

    A digest may answer with a next step (``Follow``, ``Check``) instead of its result: the worker
    that read the source makes those requests too, so the whole roll-up, its post checks and
    followed sitemaps included, is one pass of ``concurrency`` workers, each school finished
    (and let go) before its worker takes the next one.
    """
    return asyncio.run(_fetch_all(list(sources), base, limits, digest))


async def _fetch_all(
    sources: list[str],
    base: Path,
    limits: FetchLimits,
    digest: Callable[[int, bytes | FetchFailure], Step[T]],
) -> list[T]:
    context = httpx.create_ssl_context()
    async with _client(False, context, limits) as strict, _client(True, context, limits) as lenient:

        async def answer(source: str, status_only: bool) -> bytes | int | FetchFailure:
            try:
                if not is_url(source):
                    if status_only:
                        return FetchFailure("invalid", f"địa chỉ '{source}' không phải http(s)")
                    return _read(source, base, limits)
                listed_internal = await _names_internal(source, limits.timeout)
                return await _get(lenient if listed_internal else strict, source, limits, status_only)
            except Exception:  # noqa: BLE001 - a case not foreseen: this address's failure alone
                return FetchFailure("unreachable", "lỗi bất ngờ khi tải địa chỉ này")

        async def body(source: str) -> bytes | FetchFailure:
            got = await answer(source, False)
            return got if not isinstance(got, int) else FetchFailure("invalid", "lỗi bất ngờ")

        async def status(url: str) -> int | FetchFailure:
            got = await answer(url, True)
            return got if not isinstance(got, bytes) else FetchFailure("invalid", "lỗi bất ngờ")

        async def each(ask: Callable[[str], Awaitable[A]], addresses: Sequence[str]) -> list[A]:
            """A school's next requests, STEP_AT_ONCE at a time (in order): one slow host's sixty
            post pages, each allowed its timeouts and retries, do not wait for one another."""
            turns = asyncio.Semaphore(STEP_AT_ONCE)

            async def one(address: str) -> A:
                async with turns:
                    return await ask(address)

            return list(await asyncio.gather(*(one(address) for address in addresses)))

        async def finish(step: Step[T]) -> T:
            while isinstance(step, Follow | Check):
                if isinstance(step, Follow):
                    step = step.then(await each(body, step.sources))
                else:
                    step = step.then(await each(status, step.urls))
            return step

        # ``concurrency`` workers take the sources in turn: a request waiting for its turn is an
        # index in the list, not a task (18,000 post checks as tasks held 50 MB at once).
        found: list[T | None] = [None] * len(sources)
        waiting = iter(enumerate(sources))

        async def worker() -> None:
            for index, source in waiting:
                got = await body(source)
                try:
                    found[index] = await finish(digest(index, got))
                except Exception:  # noqa: BLE001 - one source that cannot be read stops no other
                    failure = FetchFailure("invalid", "lỗi bất ngờ khi đọc nội dung tải về")
                    found[index] = await finish(digest(index, failure))

        await asyncio.gather(*(worker() for _ in range(max(1, min(limits.concurrency, len(sources))))))
        return cast(list[T], found)  # every index was filled by a worker


def _client(allow_internal: bool, context: ssl.SSLContext, limits: FetchLimits) -> httpx.AsyncClient:
    pool = httpx.Limits(max_connections=limits.concurrency, max_keepalive_connections=limits.concurrency)
    return httpx.AsyncClient(
        transport=_GuardedTransport(_GuardedBackend(allow_internal), context, pool),
        timeout=httpx.Timeout(limits.timeout),
        follow_redirects=False,  # followed in _follow, each one checked
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
        # The client keeps no cookie: httpx would keep every cookie of every host, growing with the
        # schools (a NukeViet portal sets its session's) and copied into each request. Only one
        # address's redirects share cookies (_follow).
        cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),
        trust_env=False,
    )


async def _names_internal(url: str, timeout: float) -> bool:
    """Whether the schools list itself writes an internal address for this school (no DNS asked)."""
    try:
        host = httpx.URL(url).host  # without the brackets of an IPv6 address
    except httpx.InvalidURL:
        return False
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return is_internal(ipaddress.ip_address(host))
    except ValueError:
        return False  # a name: its addresses are checked at every connection


def _read(source: str, base: Path, limits: FetchLimits) -> bytes | FetchFailure:
    scheme = urlsplit(source).scheme.lower()
    if scheme and len(scheme) > 1:  # "ftp:", "javascript:"; a single letter is a Windows drive
        return FetchFailure("invalid", f"địa chỉ '{source}' không phải http(s) hay đường dẫn tệp")
    path = (base / source).resolve()
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return FetchFailure("invalid", f"tệp lớn {size} byte, quá giới hạn {limits.max_bytes} byte")
        return path.read_bytes()
    except FileNotFoundError:
        return FetchFailure("unreachable", f"không có tệp {source}")
    except OSError as exc:
        return FetchFailure("unreachable", f"không đọc được tệp {source} ({os_reason(exc)})")


# --- connections only to checked addresses --------------------------------------------------------


class _InternalAddress(Exception):
    """The backend refused to connect: ``host`` resolved to the internal ``address``."""

    def __init__(self, host: str, address: IPAddress) -> None:
        super().__init__(host, address)
        self.host = host
        self.address = address

    def failure(self, redirected: bool) -> FetchFailure:
        try:
            ipaddress.ip_address(self.host)
            where = self.host  # a literal address, as the school's server wrote it
        except ValueError:  # a name, shown with the address it resolved to
            where = f"{self.host}: {self.address}"
        if redirected:
            return FetchFailure(
                "invalid", f"địa chỉ chuyển hướng tới một địa chỉ nội bộ ({where}), không được phép"
            )
        return FetchFailure("invalid", f"tên máy chủ trỏ tới một địa chỉ nội bộ ({where}), không được phép")


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to addresses it has resolved and checked."""

    def __init__(self, allow_internal: bool) -> None:
        self.allow_internal = allow_internal
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await resolve(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host}") from None
        except OSError as exc:
            raise httpcore.ConnectError(f"resolving {host}: {exc}") from exc
        if not self.allow_internal:
            for address in addresses:
                if is_internal(address):
                    raise _InternalAddress(host, address)
        error: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in addresses:  # the checked address itself, never the name again
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a pool that connects through ``backend``."""

    def __init__(self, backend: _GuardedBackend, context: ssl.SSLContext, limits: httpx.Limits) -> None:
        super().__init__(verify=context, limits=limits, trust_env=False)
        # httpx 0.28 takes no network backend, so its pool (never used yet) is replaced by the same
        # pool over ours; tests/test_fetch_safety.py fails if a later httpx stops using it.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


# --- one school: attempts, redirects, the body ----------------------------------------------------


class _Retry(Exception):
    """An answer worth asking again for (a 5xx)."""


async def _get(
    client: httpx.AsyncClient, url: str, limits: FetchLimits, status_only: bool = False
) -> bytes | int | FetchFailure:
    failure = FetchFailure("unreachable", "không kết nối được")
    for attempt in range(limits.retries + 1):
        if attempt:
            await asyncio.sleep(limits.backoff * 2 ** (attempt - 1))
        try:
            # Reads each arrive within the timeout, but a server dripping bytes must end too.
            async with asyncio.timeout(limits.timeout * 3):
                return await _follow(client, url, limits, status_only)
        except _Retry as exc:
            failure = FetchFailure("unreachable", str(exc))
        except TimeoutError:
            failure = FetchFailure(
                "unreachable", f"quá {limits.timeout * 3:g} giây vẫn chưa gửi xong báo cáo"
            )
        except httpx.TimeoutException:  # one read or connect
            failure = FetchFailure("unreachable", f"quá {limits.timeout:g} giây không trả lời")
        except httpx.TransportError as exc:
            failure = FetchFailure("unreachable", network_words(exc, url))
    return failure


def network_words(exc: Exception, url: str) -> str:
    """A network error as the district office reads it: what failed, where, never httpx's class name."""
    try:
        host = httpx.URL(url).host or url
    except httpx.InvalidURL:
        host = url
    if "resolving" in str(exc):  # _GuardedBackend's own words for a failed DNS lookup
        return f"không tìm thấy máy chủ {host} (tên miền không có hoặc mạng không tra được tên)"
    if isinstance(exc, httpx.ConnectError):
        return f"không kết nối được tới {host} (máy chủ không nhận kết nối)"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"máy chủ {host} ngắt kết nối khi đang trả lời"
    if isinstance(exc, httpx.ProxyError | httpx.UnsupportedProtocol):
        return f"không kết nối được tới {host}"
    return f"lỗi mạng khi tải từ {host}"


async def _follow(
    client: httpx.AsyncClient, url: str, limits: FetchLimits, status_only: bool = False
) -> bytes | int | FetchFailure:
    """The body at ``url`` after at most MAX_REDIRECTS redirects, each to http(s).

    ``status_only``: the final answer's status, its body unread, and redirects followed only
    on the address's own host (a post must answer from the school's own site).
    """
    target = httpx.URL(url)
    # Cookies live as long as one address's redirects: a portal's anti-flood guard answers the
    # first request with a cookie and a redirect to the same address, and wants the cookie back.
    chain = httpx.Cookies()
    for hop in range(MAX_REDIRECTS + 1):
        try:
            request = client.build_request("GET", target)
            chain.set_cookie_header(request)
            async with _sent(client, request) as response:
                chain.extract_cookies(response)
                if not response.has_redirect_location:
                    if status_only:
                        if response.status_code >= 500:
                            raise _Retry(f"máy chủ báo lỗi HTTP {response.status_code}")
                        return response.status_code
                    return await _body(response, limits)
                location = response.headers["location"]
        except _InternalAddress as refused:
            return refused.failure(redirected=hop > 0)
        try:
            target = response.url.join(location)
        except httpx.InvalidURL:
            return FetchFailure("invalid", f"địa chỉ chuyển hướng '{location}' không hợp lệ")
        if target.scheme not in ("http", "https"):
            return FetchFailure(
                "invalid", f"địa chỉ chuyển hướng '{location}' không phải http(s), không được phép"
            )
        if status_only and target.host != httpx.URL(url).host:
            return FetchFailure("invalid", f"chuyển hướng sang máy chủ khác ({target.host})")
    return FetchFailure("unreachable", f"chuyển hướng quá {MAX_REDIRECTS} lần")


@contextlib.asynccontextmanager
async def _sent(client: httpx.AsyncClient, request: httpx.Request) -> AsyncIterator[httpx.Response]:
    """``client.stream`` for a request built beforehand (with this redirect chain's cookies)."""
    response = await client.send(request, stream=True)
    try:
        yield response
    finally:
        await response.aclose()


async def _body(response: httpx.Response, limits: FetchLimits) -> bytes | FetchFailure:
    if response.status_code >= 500:
        raise _Retry(f"máy chủ báo lỗi HTTP {response.status_code}")
    if response.status_code != 200:
        return FetchFailure("unreachable", f"máy chủ trả về HTTP {response.status_code}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        return FetchFailure("invalid", f"báo cáo lớn {declared} byte, quá giới hạn {limits.max_bytes} byte")
    decoder = _decoder(response.headers.get_list("content-encoding", split_commas=True))
    if isinstance(decoder, FetchFailure):
        return decoder
    too_big = FetchFailure("invalid", f"báo cáo lớn hơn giới hạn {limits.max_bytes} byte")
    body = bytearray()
    wire = 0
    async for chunk in response.aiter_raw():
        wire += len(chunk)
        if wire > limits.max_bytes:
            return too_big
        try:
            body += decoder.decode(chunk, limits.max_bytes - len(body) + 1)
        except zlib.error:
            return FetchFailure("invalid", f"báo cáo nén {decoder.coding} bị hỏng, không giải nén được")
        if len(body) > limits.max_bytes:
            return too_big
        if decoder.ended:  # whatever a server sends after the compressed data is not the report
            break
    if not decoder.complete:
        return FetchFailure("invalid", f"báo cáo nén {decoder.coding} bị cắt dở")
    return bytes(body)


# --- content codings ------------------------------------------------------------------------------

_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class _Decoder:
    """One content coding (or none), decoded at most ``most`` bytes a chunk."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._zlib = zlib.decompressobj(_WBITS[coding]) if coding in _WBITS else None
        self._fed = False

    def decode(self, data: bytes, most: int) -> bytes:
        if self._zlib is None:
            return data  # a chunk off the wire, already counted against the limit
        try:
            out = self._zlib.decompress(data, most)
        except zlib.error:
            if self._fed or self.coding != "deflate":
                raise
            # "deflate" is zlib-wrapped by the standard, raw from some servers (httpx accepts both).
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._zlib.decompress(data, most)
        self._fed = True
        return out  # when len(out) == most, input may be left over: the caller stops at the limit

    @property
    def ended(self) -> bool:
        return self._zlib is not None and self._zlib.eof

    @property
    def complete(self) -> bool:
        return self._zlib is None or self._zlib.eof


def _decoder(codings: list[str]) -> _Decoder | FetchFailure:
    """The decoder for a response's Content-Encoding, or why it is refused."""
    layers = [c.strip().lower() for c in codings if c.strip().lower() not in ("", "identity")]
    if len(layers) > 1:
        return FetchFailure(
            "invalid", f"báo cáo bị nén {len(layers)} lớp ({', '.join(layers)}), chỉ nhận tối đa một lớp"
        )
    if layers and layers[0] not in _WBITS:
        return FetchFailure(
            "invalid", f"báo cáo nén kiểu '{layers[0]}', chỉ nhận gzip hoặc deflate hoặc không nén"
        )
    return _Decoder(layers[0] if layers else "identity")
