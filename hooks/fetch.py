"""Fetch many schools' coverage.json at once, each within bounds: time, retries, size.

A report is someone else's server: it may be slow, down, huge or not JSON at all. One
bad source never stops the others, and every failure comes back as a value naming
what went wrong (``FetchFailure``), never as an exception out of ``fetch_all``.
Sources are http(s) URLs, fetched concurrently with httpx, or local paths (read
with the same size limit), relative to the folder of the schools list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

USER_AGENT = "chuyen-muc-binh-dang-gioi-district/1"


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 10.0  # seconds to connect, and between two reads
    retries: int = 2  # more attempts after a timeout, a refused connection or a 5xx
    max_bytes: int = 2 * 1024 * 1024
    concurrency: int = 32
    backoff: float = 0.2  # seconds before the first retry, doubled each time


@dataclass(frozen=True)
class FetchFailure:
    kind: str  # "unreachable" (no answer, an HTTP error) or "invalid" (an answer we refuse)
    message: str  # Vietnamese, for the dashboard


def is_url(source: str) -> bool:
    return urlsplit(source).scheme.lower() in ("http", "https")


def fetch_all(sources: Sequence[str], base: Path, limits: FetchLimits) -> list[bytes | FetchFailure]:
    """The body of each source, in order, or why there is none."""
    return asyncio.run(_fetch_all(list(sources), base, limits))


async def _fetch_all(sources: list[str], base: Path, limits: FetchLimits) -> list[bytes | FetchFailure]:
    gate = asyncio.Semaphore(limits.concurrency)
    timeout = httpx.Timeout(limits.timeout)
    pool = httpx.Limits(max_connections=limits.concurrency, max_keepalive_connections=limits.concurrency)
    async with httpx.AsyncClient(
        timeout=timeout,
        limits=pool,
        follow_redirects=True,
        max_redirects=5,
        # identity: the size limit then bounds what is held, not a compressed bomb's expansion.
        headers={"User-Agent": USER_AGENT, "Accept": "application/json", "Accept-Encoding": "identity"},
        trust_env=False,
    ) as client:

        async def one(source: str) -> bytes | FetchFailure:
            if is_url(source):
                async with gate:
                    return await _get(client, source, limits)
            return _read(source, base, limits)

        return list(await asyncio.gather(*(one(s) for s in sources)))


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
        return FetchFailure("unreachable", f"không đọc được tệp {source} ({exc.strerror})")


async def _get(client: httpx.AsyncClient, url: str, limits: FetchLimits) -> bytes | FetchFailure:
    failure = FetchFailure("unreachable", "không kết nối được")
    for attempt in range(limits.retries + 1):
        if attempt:
            await asyncio.sleep(limits.backoff * 2 ** (attempt - 1))
        try:
            # Reads each arrive within the timeout, but a server dripping bytes must end too.
            async with asyncio.timeout(limits.timeout * 3):
                result = await _attempt(client, url, limits)
        except (TimeoutError, httpx.TimeoutException):  # the overall deadline, or one read or connect
            failure = FetchFailure("unreachable", f"quá {limits.timeout:g} giây không trả lời")
            continue
        except httpx.TooManyRedirects:
            return FetchFailure("unreachable", "chuyển hướng quá nhiều lần")
        except httpx.TransportError as exc:
            failure = FetchFailure("unreachable", f"không kết nối được ({type(exc).__name__})")
            continue
        if isinstance(result, FetchFailure) and result.kind == "retry":
            failure = FetchFailure("unreachable", result.message)
            continue
        return result
    return failure


async def _attempt(client: httpx.AsyncClient, url: str, limits: FetchLimits) -> bytes | FetchFailure:
    async with client.stream("GET", url) as response:
        if response.status_code >= 500:
            return FetchFailure("retry", f"máy chủ báo lỗi HTTP {response.status_code}")
        if response.status_code != 200:
            return FetchFailure("unreachable", f"máy chủ trả về HTTP {response.status_code}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            return FetchFailure(
                "invalid", f"báo cáo lớn {declared} byte, quá giới hạn {limits.max_bytes} byte"
            )
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limits.max_bytes:
                return FetchFailure("invalid", f"báo cáo lớn hơn giới hạn {limits.max_bytes} byte")
        return bytes(body)
