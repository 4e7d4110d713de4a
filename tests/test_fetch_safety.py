"""The roll-up against hostile schools, on real servers on 127.0.0.1: compression bombs, redirects
into the district's network, a server dripping bytes, and one school's failure among the others.

Names are resolved by a fake DNS (``socket.getaddrinfo``, which the event loop's resolver calls),
and every socket connection is recorded by a guard (``socket.socket.connect``) that keeps the
tests on this machine: ``PUBLIC``, the address fake names of schools resolve to, is carried to
the test server, and any other address off loopback is refused before a packet leaves.
"""

from __future__ import annotations

import gzip
import http.server
import ipaddress
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from test_district import Server  # a threaded server on 127.0.0.1 that keeps up with many schools

from hooks import district, fetch
from hooks.fetch import FetchFailure, FetchLimits

MiB = 1024 * 1024
PUBLIC = "93.184.215.14"  # a public address; the guard carries connections to it to the test server
REPORT = json.dumps(
    {
        "schema_version": 1,
        "as_of": "2026-11-23",
        "min_posts": 1,
        "quarters": [{"quarter": "2026-Q4", "status": "due", "count": 0, "posts": []}],
    }
).encode()


def packed_zeros(size: int, wbits: int = 16 + zlib.MAX_WBITS) -> bytes:
    """``size`` zero bytes compressed (gzip by default), without holding them all at once."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(MiB)
    parts = [packer.compress(block) for _ in range(size // MiB)]
    return b"".join(parts) + packer.flush()


def deflate(data: bytes, wbits: int) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


class Route(NamedTuple):
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    drip: bool = False  # a space every 0.1 s for 30 s, then the report


class Hostile(http.server.BaseHTTPRequestHandler):
    routes: dict[str, Route] = {}
    hits: list[str] = []
    cookies: list[str] = []  # every Cookie header a request sent
    lock = threading.Lock()
    answering = most = 0  # /slow-post/ requests being answered now, and at most

    def do_GET(self) -> None:  # noqa: N802
        self.hits.append(self.path)
        if "Cookie" in self.headers:
            self.cookies.append(self.headers["Cookie"])
        route = self.routes.get(self.path, Route(404, b"Not found"))
        if self.path.startswith("/slow-post/"):  # one school's post pages, each slow to answer
            with Hostile.lock:
                Hostile.answering += 1
                Hostile.most = max(Hostile.most, Hostile.answering)
            time.sleep(0.2)
            with Hostile.lock:
                Hostile.answering -= 1
            route = Route(body=b"<html></html>")
        if self.path == "/cookie-gate" and "gate=mo" not in self.headers.get("Cookie", ""):
            # an anti-flood guard: a cookie and a redirect to the same address, then the page
            route = Route(302, headers=(("Set-Cookie", "gate=mo; Path=/"), ("Location", "/cookie-gate")))
        self.send_response(route.status)
        self.send_header("Content-Type", "application/json")
        for name, value in route.headers:
            self.send_header(name, value)
        if not route.drip:
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        try:
            if route.drip:
                for _ in range(300):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    httpd = Server(("127.0.0.1", 0), Hostile)
    number = httpd.server_address[1]
    bomb = packed_zeros(50 * MiB)  # about 50 KB on the wire, 50 MB decoded
    gz = ("Content-Encoding", "gzip")
    Hostile.routes = {
        "/good": Route(body=REPORT),
        "/gzip-good": Route(body=gzip.compress(REPORT), headers=(gz,)),
        "/x-gzip-good": Route(body=gzip.compress(REPORT), headers=(("Content-Encoding", "x-gzip"),)),
        "/deflate-good": Route(
            body=deflate(REPORT, zlib.MAX_WBITS), headers=(("Content-Encoding", "deflate"),)
        ),
        "/raw-deflate-good": Route(
            body=deflate(REPORT, -zlib.MAX_WBITS), headers=(("Content-Encoding", "deflate"),)
        ),
        "/identity-good": Route(body=REPORT, headers=(("Content-Encoding", "identity"),)),
        "/gzip-gzip": Route(body=gzip.compress(bomb), headers=(("Content-Encoding", "gzip, gzip"),)),
        "/gzip-twice": Route(body=gzip.compress(bomb), headers=(gz, gz)),  # two header lines
        "/gzip-bomb": Route(body=bomb, headers=(gz,)),
        "/deflate-bomb": Route(
            body=packed_zeros(50 * MiB, zlib.MAX_WBITS), headers=(("Content-Encoding", "deflate"),)
        ),
        "/brotli": Route(body=b"\x1b\x00", headers=(("Content-Encoding", "br"),)),
        "/truncated": Route(body=gzip.compress(REPORT)[:-12], headers=(gz,)),
        "/corrupt": Route(body=b"\x1f\x8b\x08\x00garbage" + bytes(40), headers=(gz,)),
        "/drip": Route(body=REPORT, drip=True),
        "/moved": Route(301, headers=(("Location", "/good"),)),
        "/loop": Route(302, headers=(("Location", "/loop"),)),
        "/to-file": Route(302, headers=(("Location", "file:///etc/passwd"),)),
        "/to-ftp": Route(302, headers=(("Location", "ftp://truong.example/coverage.json"),)),
        "/to-metadata": Route(302, headers=(("Location", "http://169.254.169.254/latest/meta-data/"),)),
        "/cookie": Route(body=REPORT, headers=(("Set-Cookie", "nv4s=phien-lam-viec; Path=/"),)),
        "/cookie-gate": Route(body=REPORT),
    }
    Hostile.hits = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield number
    httpd.shutdown()
    httpd.server_close()


@dataclass
class Network:
    """The fake DNS (name -> answers, the last one repeated) and every address connected to."""

    names: dict[str, list[list[str]]] = field(default_factory=dict)
    attempts: list[str] = field(default_factory=list)


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    net = Network(names={"localhost": [["127.0.0.1"]]})
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        try:
            ipaddress.ip_address(name)
        except ValueError:
            if name not in net.names:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
            answers = net.names[name]
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
            return [
                (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port or 0))
                for a in answer
            ]
        return real_getaddrinfo(host, port, *args, **kwargs)

    def connect(sock: socket.socket, address: Any) -> None:
        if isinstance(address, tuple):
            host = address[0]
            net.attempts.append(host)
            if host == PUBLIC:
                address = ("127.0.0.1", *address[1:])
            elif not ipaddress.ip_address(host.split("%")[0]).is_loopback:
                raise ConnectionRefusedError(f"the test guard keeps connections on this machine ({host})")
        real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return net


QUICK = FetchLimits(timeout=2, retries=0)


def fetch_one(url: str, limits: FetchLimits = QUICK) -> bytes | FetchFailure:
    return fetch.fetch_all([url], Path("."), limits)[0]


def refused(result: bytes | FetchFailure, kind: str = "invalid") -> str:
    assert isinstance(result, FetchFailure), result[:200]
    assert result.kind == kind, result
    return result.message


# --- what is internal ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fe80::1%2",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    ],
)
def test_internal_addresses(address: str) -> None:
    assert fetch.is_internal(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", PUBLIC, "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"],
)
def test_public_addresses(address: str) -> None:
    assert not fetch.is_internal(ipaddress.ip_address(address))


# --- compression ----------------------------------------------------------------------------------


def peak_memory(url: str) -> tuple[bytes | FetchFailure, int]:
    """The fetch with the default limits, and the most memory Python held meanwhile."""
    tracemalloc.start()
    try:
        result = fetch_one(url, FetchLimits(timeout=5, retries=0))
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("path", ["/gzip-gzip", "/gzip-twice"])
def test_stacked_gzip_is_refused_without_expanding(port: int, path: str) -> None:
    result, peak = peak_memory(f"http://127.0.0.1:{port}{path}")
    assert peak < FetchLimits().max_bytes  # nothing decoded: the bomb is 50 MB
    assert refused(result) == "báo cáo bị nén 2 lớp (gzip, gzip), chỉ nhận tối đa một lớp"


@pytest.mark.parametrize("path", ["/gzip-bomb", "/deflate-bomb"])
def test_one_layer_bomb_stops_at_the_limit(port: int, path: str) -> None:
    result, peak = peak_memory(f"http://127.0.0.1:{port}{path}")
    assert peak < 3 * FetchLimits().max_bytes  # the body so far and one piece: not the 50 MB
    assert refused(result) == f"báo cáo lớn hơn giới hạn {2 * MiB} byte"


@pytest.mark.parametrize(
    "path", ["/good", "/gzip-good", "/x-gzip-good", "/deflate-good", "/raw-deflate-good", "/identity-good"]
)
def test_a_report_in_one_coding_reads_as_sent(port: int, path: str) -> None:
    assert fetch_one(f"http://127.0.0.1:{port}{path}") == REPORT


@pytest.mark.parametrize(
    "path, message",
    [
        ("/brotli", "báo cáo nén kiểu 'br', chỉ nhận gzip hoặc deflate hoặc không nén"),
        ("/truncated", "báo cáo nén gzip bị cắt dở"),
        ("/corrupt", "báo cáo nén gzip bị hỏng, không giải nén được"),
    ],
)
def test_a_coding_we_cannot_read_is_refused(port: int, path: str, message: str) -> None:
    assert refused(fetch_one(f"http://127.0.0.1:{port}{path}")) == message


# --- addresses ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "location, shown",
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::ffff:169.254.169.254]/latest/meta-data/", "::ffff:169.254.169.254"),
        ("http://127.0.0.1:{port}/good", "127.0.0.1"),  # a server that would answer
        ("http://[::1]:{port}/good", "::1"),
        ("http://localhost:{port}/good", "localhost: 127.0.0.1"),
        ("https://10.0.0.1/coverage.json", "10.0.0.1"),
        ("http://truong-doi.example:{port}/good", "truong-doi.example: 127.0.0.1"),
    ],
)
def test_a_redirect_inward_is_never_connected(port: int, network: Network, location: str, shown: str) -> None:
    """A school listed by a public name redirects to the district's own network: refused, and the
    only connection ever attempted is to the school itself."""
    Hostile.routes["/inward"] = Route(302, headers=(("Location", location.format(port=port)),))
    network.names["truong-a.example"] = [[PUBLIC]]
    network.names["truong-doi.example"] = [["127.0.0.1"]]
    message = refused(fetch_one(f"http://truong-a.example:{port}/inward"))
    assert message == f"địa chỉ chuyển hướng tới một địa chỉ nội bộ ({shown}), không được phép"
    assert network.attempts == [PUBLIC]


def test_the_metadata_redirect_of_the_issue(port: int, network: Network) -> None:
    network.names["truong-a.example"] = [[PUBLIC]]
    hits = len(Hostile.hits)
    result = fetch_one(f"http://truong-a.example:{port}/to-metadata")
    assert refused(result) == (
        "địa chỉ chuyển hướng tới một địa chỉ nội bộ (169.254.169.254), không được phép"
    )
    assert "169.254.169.254" not in network.attempts and network.attempts == [PUBLIC]
    assert Hostile.hits[hits:] == ["/to-metadata"]


def test_a_name_that_turns_internal_after_the_check_is_never_asked_again(port: int, network: Network) -> None:
    """DNS rebinding: public at the first answer, 127.0.0.1 at the next. The name is looked up once
    per connection and the address checked is the address connected to, so 127.0.0.1 never is."""
    network.names["truong-doi.example"] = [[PUBLIC], ["127.0.0.1"]]
    assert fetch_one(f"http://truong-doi.example:{port}/good") == REPORT
    assert network.attempts == [PUBLIC]
    network.names["truong-ba.example"] = [["127.0.0.1"], [PUBLIC]]
    result = fetch_one(f"http://truong-ba.example:{port}/good")
    assert refused(result) == (
        "tên máy chủ trỏ tới một địa chỉ nội bộ (truong-ba.example: 127.0.0.1), không được phép"
    )
    assert network.attempts == [PUBLIC]


def test_a_name_with_any_internal_address_is_refused(port: int, network: Network) -> None:
    network.names["truong-hai.example"] = [[PUBLIC, "10.0.0.7"]]
    result = fetch_one(f"http://truong-hai.example:{port}/good")
    assert "(truong-hai.example: 10.0.0.7)" in refused(result)
    assert network.attempts == []


def test_what_the_list_names_internal_may_stay_internal(port: int, network: Network) -> None:
    """A district testing on 127.0.0.1 (or localhost) is read; so is a public school redirecting
    within itself. A name whose DNS answers with an internal address is not the list's word: refused."""
    network.names["bao-cao.phong.local"] = [["127.0.0.1"]]
    network.names["truong-a.example"] = [[PUBLIC]]
    urls = [
        f"http://127.0.0.1:{port}/good",
        f"http://127.0.0.1:{port}/moved",
        f"http://localhost:{port}/gzip-good",
        f"http://truong-a.example:{port}/moved",
    ]
    assert fetch.fetch_all(urls, Path("."), QUICK) == [REPORT] * len(urls)
    assert set(network.attempts) == {"127.0.0.1", PUBLIC}
    (named,) = fetch.fetch_all([f"http://bao-cao.phong.local:{port}/good"], Path("."), QUICK)
    assert isinstance(named, fetch.FetchFailure) and "127.0.0.1" in named.message, named


@pytest.fixture(scope="module")
def tls_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path, list[str]]]:
    """An HTTPS server on 127.0.0.1 with a certificate for truong-a.example alone; the names that
    clients asked for in TLS (SNI) are listed."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        + ["-subj", "/CN=truong-a.example", "-addext", "subjectAltName=DNS:truong-a.example"]
        + ["-days", "2", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    names: list[str] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    def asked_for(_sock: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        names.append(str(name))

    context.sni_callback = asked_for
    httpd = Server(("127.0.0.1", 0), Hostile)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], cert, names
    httpd.shutdown()
    httpd.server_close()


def test_https_checks_the_name_while_connecting_to_the_checked_address(
    port: int, tls_port: tuple[int, Path, list[str]], network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection goes to the address that was checked, yet TLS asks for and verifies the
    school's name: its certificate is accepted for truong-a.example and refused for another name."""
    number, cert, names = tls_port
    monkeypatch.setattr(fetch.httpx, "create_ssl_context", lambda: ssl.create_default_context(cafile=cert))
    network.names["truong-a.example"] = [[PUBLIC]]
    network.names["truong-khac.example"] = [[PUBLIC]]
    good, other = fetch.fetch_all(
        [f"https://truong-a.example:{number}/gzip-good", f"https://truong-khac.example:{number}/good"],
        Path("."),
        QUICK,
    )
    assert good == REPORT
    assert (
        refused(other, "unreachable")
        == "không kết nối được tới truong-khac.example (máy chủ không nhận kết nối)"
    )
    assert sorted(names) == ["truong-a.example", "truong-khac.example"]
    assert network.attempts == [PUBLIC, PUBLIC]


@pytest.mark.parametrize(
    "path, message",
    [
        ("/to-file", "địa chỉ chuyển hướng 'file:///etc/passwd' không phải http(s), không được phép"),
        (
            "/to-ftp",
            "địa chỉ chuyển hướng 'ftp://truong.example/coverage.json' không phải http(s), không được phép",
        ),
    ],
)
def test_a_redirect_off_http_is_refused(port: int, path: str, message: str) -> None:
    assert refused(fetch_one(f"http://127.0.0.1:{port}{path}")) == message


def test_redirects_stop_after_five(port: int) -> None:
    hits = len(Hostile.hits)
    assert refused(fetch_one(f"http://127.0.0.1:{port}/loop"), "unreachable") == "chuyển hướng quá 5 lần"
    assert Hostile.hits[hits:] == ["/loop"] * 6


# --- one school never stops the others ------------------------------------------------------------


@pytest.mark.build
def test_a_drip_ends_at_the_deadline_and_the_others_are_read(port: int, tmp_path: Path) -> None:
    """A byte every 0.1 s never trips the 0.5 s read timeout; the whole attempt's deadline
    (three times the timeout) ends it, while the others in the same call are read."""
    (tmp_path / "tep.json").write_bytes(REPORT)
    sources = [
        f"http://127.0.0.1:{port}/drip",
        f"http://127.0.0.1:{port}/good",
        f"http://127.0.0.1:{port}/gzip-good",
        "tep.json",
    ]
    start = time.monotonic()
    drip, *others = fetch.fetch_all(sources, tmp_path, FetchLimits(timeout=0.5, retries=0))
    assert refused(drip, "unreachable") == "quá 1.5 giây vẫn chưa gửi xong báo cáo"
    assert others == [REPORT] * 3
    assert time.monotonic() - start < 10  # the drip itself would last 30 s


def test_an_unforeseen_error_is_that_schools_alone(
    port: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The MemoryError that once ended the whole roll-up, and a path Python cannot open."""
    real = fetch._Decoder.decode

    def decode(self: fetch._Decoder, data: bytes, most: int) -> bytes:
        if self.coding == "deflate":
            raise MemoryError
        return real(self, data, most)

    monkeypatch.setattr(fetch._Decoder, "decode", decode)
    sources = [f"http://127.0.0.1:{port}/deflate-good", "tep\x00.json", f"http://127.0.0.1:{port}/gzip-good"]
    memory, nul, good = fetch.fetch_all(sources, tmp_path, QUICK)
    assert refused(memory, "unreachable") == "lỗi bất ngờ khi tải địa chỉ này"
    assert refused(nul, "unreachable") == "lỗi bất ngờ khi tải địa chỉ này"
    assert good == REPORT


def test_a_digests_next_steps_are_asked_by_its_worker_in_order(port: int, network: Network) -> None:
    """A report's post checks (``Check``: statuses, on the address's own host) and a sitemap index's
    sitemaps (``Follow``: bodies) are asked within the same bounds, their answers in order; a step
    that fails is that school's failure alone."""
    local = f"http://127.0.0.1:{port}"
    checked = [f"{local}/good", f"{local}/nothing", f"{local}/moved", f"{local}/to-metadata", "tep.json"]

    def digest(index: int, body: bytes | FetchFailure) -> Any:
        if isinstance(body, FetchFailure):
            return ("failed", body.message)
        if index == 0:
            return fetch.Check(
                checked,
                lambda statuses: fetch.Follow([f"{local}/gzip-good"], lambda bodies: (statuses, bodies)),
            )
        return fetch.Check([f"{local}/good"], lambda _: 1 // 0)

    first, second = fetch.fetch_each([f"{local}/good"] * 2, Path("."), QUICK, digest)
    statuses, bodies = first
    assert statuses[:3] == [200, 404, 200] and bodies == [REPORT]
    assert refused(statuses[3]) == "chuyển hướng sang máy chủ khác (169.254.169.254)"
    assert refused(statuses[4]) == "địa chỉ 'tep.json' không phải http(s)"
    assert second == ("failed", "lỗi bất ngờ khi đọc nội dung tải về")
    assert "169.254.169.254" not in network.attempts


def test_a_schools_cookie_is_never_kept_nor_sent_back(port: int) -> None:
    """A portal's session cookie (NukeViet sets one) would otherwise be kept for the whole run, every
    school's, and sent with each request after it."""
    local = f"http://127.0.0.1:{port}"
    Hostile.cookies = []

    def digest(_: int, body: bytes | FetchFailure) -> Any:
        return fetch.Check([f"{local}/cookie", f"{local}/good"], lambda statuses: (body, statuses))

    assert (
        fetch.fetch_each([f"{local}/cookie", f"{local}/good"], Path("."), QUICK, digest)
        == [(REPORT, [200, 200])] * 2
    )
    assert Hostile.cookies == []


def test_one_schools_post_pages_are_asked_several_at_a_time(port: int) -> None:
    """A report's post pages are checked by the worker that read it, STEP_AT_ONCE at a time: one
    slow host's sixty pages, each allowed its timeouts and retries, do not wait in a line."""
    local = f"http://127.0.0.1:{port}"
    Hostile.most = 0
    posts = [f"{local}/slow-post/{n}" for n in range(fetch.STEP_AT_ONCE * 2)]

    def digest(_: int, body: bytes | FetchFailure) -> Any:
        return fetch.Check(posts, lambda statuses: statuses)

    assert fetch.fetch_each([f"{local}/good"], Path("."), QUICK, digest) == [[200] * len(posts)]
    assert 1 < Hostile.most <= fetch.STEP_AT_ONCE


def test_a_cookie_set_on_a_redirect_is_sent_on_its_next_hop_only(port: int) -> None:
    """Hosting firewalls (a "testcookie" guard) answer with a cookie and a redirect to the same
    address, and serve the page only when the cookie comes back: the school is read. The cookie
    lives as long as that address's redirects: the next address is asked without it."""
    local = f"http://127.0.0.1:{port}"
    Hostile.cookies = []
    got = fetch.fetch_each([f"{local}/cookie-gate", f"{local}/good"], Path("."), QUICK, lambda _, body: body)
    assert got == [REPORT, REPORT]
    assert Hostile.cookies == ["gate=mo"]


@pytest.mark.build
def test_the_roll_up_reports_every_school_beside_hostile_ones(
    port: int, network: Network, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    network.names["truong-a.example"] = [[PUBLIC]]
    network.names["bao-cao.phong.local"] = [["127.0.0.1"]]
    (tmp_path / "tep.json").write_bytes(REPORT)
    local = f"http://127.0.0.1:{port}"
    schools = {
        "Trường Tốt": f"{local}/good",
        "Trường Nén chồng": f"{local}/gzip-gzip",
        "Trường Bom nén": f"{local}/gzip-bomb",
        "Trường Chuyển hướng": f"http://truong-a.example:{port}/to-metadata",
        "Trường Nhỏ giọt": f"{local}/drip",
        "Trường Máy chủ phòng": f"http://bao-cao.phong.local:{port}/gzip-good",
        "Trường Tệp": "tep.json",
    }
    path = tmp_path / "schools.yml"
    path.write_text(
        "".join(f"- name: {name}\n  report: {url}\n" for name, url in schools.items()), encoding="utf-8"
    )
    args = ["--schools", str(path), "--format", "json", "--timeout", "0.5", "--retries", "0"]
    code = district.main([*args, "--as-of", "2026-11-23", "--config", str(tmp_path / "none.yml")])
    assert code == 1
    data = json.loads(capsys.readouterr().out)
    got = {s["name"]: (s["state"], s["problem"]) for s in data["schools"]}
    assert got == {
        "Trường Tốt": ("ok", None),
        "Trường Nén chồng": ("invalid", "báo cáo bị nén 2 lớp (gzip, gzip), chỉ nhận tối đa một lớp"),
        "Trường Bom nén": ("invalid", f"báo cáo lớn hơn giới hạn {2 * MiB} byte"),
        "Trường Chuyển hướng": (
            "invalid",
            "địa chỉ chuyển hướng tới một địa chỉ nội bộ (169.254.169.254), không được phép",
        ),
        "Trường Nhỏ giọt": ("unreachable", "quá 1.5 giây vẫn chưa gửi xong báo cáo"),
        "Trường Máy chủ phòng": (  # a name is not the list's word for an internal address
            "invalid",
            "tên máy chủ trỏ tới một địa chỉ nội bộ (bao-cao.phong.local: 127.0.0.1), không được phép",
        ),
        "Trường Tệp": ("ok", None),
    }
    assert "169.254.169.254" not in network.attempts
    assert [q["ok_or_excused"] for q in data["quarters"]] == [0]  # "due" in the running quarter
