"""The district roll-up: reports served from 127.0.0.1, checked, summed, and shown without trusting them."""

from __future__ import annotations

import copy
import csv
import http.server
import io
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ROOT, clean_env, epoch, run_build, write_site
from hypothesis import given
from hypothesis import strategies as st

from hooks import coverage_json, district
from hooks.coverage import audit
from hooks.coverage_json import ReportError
from hooks.dates import zone
from hooks.posts import Post, load_catalog
from hooks.quarters import Quarter, quarter_range
from hooks.settings import coverage_settings, read_config
from hooks.verdicts import Status

TODAY = date(2026, 11, 23)
TZ = zone("Asia/Ho_Chi_Minh")


def sample_report(as_of: date = TODAY, site: str | None = "https://truong.example/") -> dict:
    """A real coverage.json: the audit of this repository's sample posts."""
    settings = coverage_settings(read_config(ROOT / "mkdocs.yml")["extra"], ROOT)
    posts = load_catalog(ROOT / "posts", TZ, as_of).published
    return json.loads(coverage_json.dumps(audit(posts, settings, as_of), site))


def excuse_2023_q3(report: dict) -> dict:
    """The sample misses 2023-Q3; the same school with that quarter excused misses nothing."""
    _quarter(report, "2023-Q3").update(status="excused", reason="Trường sửa chữa")
    report["missing"] = []
    report["complete"] = not report["missing_observances"]
    return report


def encode(report: object) -> bytes:
    return json.dumps(report, ensure_ascii=False).encode("utf-8")


# --- one report, checked ------------------------------------------------------------------------


def test_a_real_report_reads_back_as_its_verdicts() -> None:
    report = sample_report()
    read = coverage_json.loads(encode(report), TODAY)
    assert read.as_of == TODAY
    cells = read.quarters
    assert [(q.key, str(c.status), c.count) for q, c in cells.items()] == [
        (q["quarter"], q["status"], q["count"]) for q in report["quarters"]
    ]
    assert cells[Quarter.parse("2023-Q3")].status is Status.MISSING
    first = cells[Quarter.parse("2023-Q1")].posts[0]
    assert first.url == "https://truong.example/bai-viet/chao-mung-ngay-quoc-te-phu-nu-8-3/"


def _quarter(report: dict, key: str) -> dict:
    return next(q for q in report["quarters"] if q["quarter"] == key)


def _set(path: tuple, value: object):
    def change(report: dict) -> None:
        target = report
        for step in path[:-1]:
            target = _quarter(target, step) if isinstance(step, str) and "-Q" in step else target[step]
        target[path[-1]] = value

    return change


CONTRADICTIONS = {
    "ok with no post": (_set(("2023-Q3", "status"), "ok"), "2023-Q3: 0 bài mà kết quả 'ok'"),
    "missing though enough posts": (
        _set(("2024-Q1", "status"), "missing"),
        "2024-Q1: 1 bài mà kết quả 'missing'",
    ),
    "due for a past quarter": (_set(("2023-Q3", "status"), "due"), "theo số liệu phải là 'missing'"),
    "missing for the running quarter": (
        lambda r: r["quarters"][-1].update(status="missing", count=0, on_time=0, posts=[]),
        "theo số liệu phải là 'due'",
    ),
    "late flag without a late date": (
        lambda r: _quarter(r, "2024-Q1")["posts"][0].update(late=True),
        "late True không khớp với ngày đăng",
    ),
    "on_time disagrees": (_set(("2024-Q1", "on_time"), 0), "on_time 0 nhưng có 1 bài đúng hạn"),
    "complete though a quarter is missing": (_set(("complete",), True), "complete là True"),
    "missing observance made up": (
        _set(
            ("missing_observances",),
            [{"name": "Tháng hành động vì bình đẳng giới", "year": 2024, "status": "missing"}],
        ),
        "missing_observances không khớp",
    ),
    "observance ok with no post": (
        lambda r: (
            r["observances"][0].update(status="ok", count=0, on_time=0, posts=[])
            if r["observances"][0]["count"] == 0
            else r["observances"][0].update(status="missing")
        ),
        "theo số liệu phải là",
    ),
    "published_at without a zone": (
        lambda r: _quarter(r, "2024-Q1")["posts"][0].update(published_at="2024-02-01T10:00:00"),
        "phải ghi múi giờ",
    ),
    "days left wrong": (lambda r: r["quarters"][-1].update(days_left=99), "days_left 99 không khớp"),
    "count and posts differ": (_set(("2024-Q1", "count"), 5), "count 5 nhưng danh sách posts có 1 bài"),
    "count is text": (_set(("2024-Q1", "count"), "1"), "count phải là số nguyên"),
    "count is a boolean": (_set(("2024-Q1", "count"), True), "count phải là số nguyên"),
    "negative count": (_set(("2023-Q3", "count"), -1), "count phải là số nguyên"),
    "unknown status": (_set(("2024-Q1", "status"), "tốt"), "không có trong ok, excused, missing, late, due"),
    "schema version 3": (_set(("schema_version",), 3), "schema_version là 3, cần 1 hoặc 2"),
    "schema version text": (_set(("schema_version",), "2"), "schema_version là '2', cần 1 hoặc 2"),
    "as_of in the future": (_set(("as_of",), "2027-01-05"), "ở sau ngày tổng hợp"),
    "as_of not a date": (_set(("as_of",), "23/11/2026"), "as_of phải là ngày YYYY-MM-DD"),
    "min_posts zero": (_set(("min_posts",), 0), "min_posts phải là số nguyên từ 1"),
    "missing list disagrees": (_set(("missing",), []), "danh sách missing không khớp"),
    "quarters out of order": (
        lambda r: r["quarters"].insert(0, r["quarters"].pop(3)),
        "các quý không liền nhau hoặc lặp lại",
    ),
    "quarter repeated": (
        lambda r: r["quarters"].insert(1, copy.deepcopy(r["quarters"][0])),
        "lặp lại ở 2023-Q1",
    ),
    "last quarter is not today's": (lambda r: r["quarters"].pop(), "không phải quý của as_of"),
    "post outside its quarter": (
        lambda r: _quarter(r, "2024-Q1")["posts"][0].update(date="2024-05-01"),
        "bài ngày 2024-05-01 không thuộc kỳ này",
    ),
    "title is a number": (lambda r: _quarter(r, "2024-Q1")["posts"][0].update(title=7), "title phải là chữ"),
    "timezone is a folder of zones": (lambda r: r.update(timezone="America"), "không phải múi giờ"),
    "timezone too long for a file name": (lambda r: r.update(timezone="A" * 300), "không phải múi giờ"),
}


@pytest.mark.parametrize("name", list(CONTRADICTIONS))
def test_a_report_that_contradicts_itself_is_invalid(name: str) -> None:
    change, message = CONTRADICTIONS[name]
    report = sample_report()
    change(report)
    with pytest.raises(ReportError) as caught:
        coverage_json.loads(encode(report), TODAY)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "body, message",
    [
        (b"<html>Not found</html>", "không phải JSON"),
        (b"\xff\xfe\x00garbage", "không phải JSON"),
        (b"[1, 2]", "cần một đối tượng JSON"),
        (b'{"schema_version": 1, "as_of": "2026-11-23", "min_posts": NaN}', "số không hợp lệ"),
        (b"[" * 100_000 + b"]" * 100_000, "không phải JSON"),
        (b'{"schema_version": 1, "x": ' + b"1" * 5000 + b"}", "không phải JSON"),  # past int's digit limit
        (
            b'{"schema_version": 1, "as_of": "2026-11-23", "min_posts": 1, "quarters": ['
            + b"{}," * 200
            + b"{}]}",
            "quá 200 quý",  # a report from year 1 would give the district 2,000 years to show
        ),
    ],
)
def test_what_is_not_a_report_is_invalid(body: bytes, message: str) -> None:
    with pytest.raises(ReportError) as caught:
        coverage_json.loads(body, TODAY)
    assert message in str(caught.value)


def test_only_http_links_are_kept() -> None:
    report = sample_report()
    posts = _quarter(report, "2024-Q1")["posts"]
    posts[0]["url"] = "javascript:alert(1)"
    cells = coverage_json.loads(encode(report), TODAY).quarters
    assert cells[Quarter.parse("2024-Q1")].posts[0].url is None
    for bad in ("data:text/html,x", "//evil.example/", "ftp://x.example/", "https:nohost", 5):
        assert coverage_json._safe_url(bad) is None
    assert coverage_json._safe_url("HTTPS://truong.example/a") == "HTTPS://truong.example/a"


# --- dates: staleness ----------------------------------------------------------------------------


def _quarter_number(day: date) -> int:
    """Quarters counted from year 0, by month arithmetic alone (independent of Quarter and dates)."""
    return day.year * 4 + (day.month - 1) // 3


@given(today=st.dates(date(2001, 1, 1), date(2099, 12, 31)), back=st.integers(0, 800))
def test_stale_means_made_in_an_earlier_quarter_than_today(today: date, back: int) -> None:
    """A report is stale when it lacks the final verdict of the last quarter that has ended:
    only a report made after that quarter's last day has it, so one made in an earlier
    quarter than today (its last day included) is stale."""
    as_of = today - timedelta(days=back)
    stale = _quarter_number(as_of) < _quarter_number(today)
    report = {
        "schema_version": 1,
        "as_of": as_of.isoformat(),
        "min_posts": 1,
        "quarters": [
            {"quarter": Quarter.of(as_of).key, "status": "due", "count": 0, "posts": []},
        ],
    }
    result = district.judge(district.School("A", "a.json"), encode(report), today)
    assert result.stale is stale
    assert result.state == ("stale" if stale else "ok")


def test_a_report_of_the_quarters_last_day_is_stale_the_day_after() -> None:
    assert district.is_stale(date(2026, 9, 30), date(2026, 10, 1))
    assert not district.is_stale(date(2026, 10, 1), date(2026, 10, 1))
    assert not district.is_stale(date(2026, 12, 31), date(2026, 12, 31))


# --- shares: hand-computed truth -------------------------------------------------------------------


def _report_with(statuses: list[str], first: Quarter, as_of: date) -> bytes:
    quarters, quarter = [], first
    for status in statuses:
        count = 1 if status == "ok" else 0
        day = quarter.start.isoformat()
        item = {
            "quarter": quarter.key,
            "status": status,
            "count": count,
            "posts": [{"title": "Bài", "date": day, "url": "https://t.example/"}] * count,
        }
        if status == "excused":
            item["reason"] = "Lý do"
        quarters.append(item)
        quarter = quarter.next()
    return encode({"schema_version": 1, "as_of": as_of.isoformat(), "min_posts": 1, "quarters": quarters})


@given(
    rows=st.lists(
        st.one_of(
            st.none(),  # a school that can't be fetched
            st.lists(st.sampled_from(["ok", "excused", "missing"]), min_size=4, max_size=4),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_each_quarter_share_counts_ok_and_excused_schools_over_all_schools(rows: list) -> None:
    as_of = date(2026, 11, 23)
    first = Quarter.parse("2025-Q4")  # 2025-Q4 .. 2026-Q3 past, 2026-Q4 running
    schools: list[district.School] = []
    bodies: list[bytes | district.FetchFailure] = []
    for number, statuses in enumerate(rows):
        schools.append(district.School(f"Trường {number}", f"{number}.json"))
        if statuses is None:
            bodies.append(district.FetchFailure("unreachable", "không kết nối được"))
        else:
            bodies.append(_report_with([*statuses, "due"], first, as_of))
    rollup = district.roll_up(schools, bodies, as_of)
    if all(r is None for r in rows):  # no report read: only the running quarter is shown
        assert [(s.quarter.key, s.ok_or_excused) for s in rollup.quarters] == [("2026-Q4", 0)]
        return
    assert [s.quarter.key for s in rollup.quarters] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    for column, share in enumerate(rollup.quarters[:4]):
        good = sum(1 for r in rows if r is not None and r[column] in ("ok", "excused"))
        assert (share.ok_or_excused, share.schools) == (good, len(rows))
        assert share.share == pytest.approx(good / len(rows))
    assert rollup.quarters[4].ok_or_excused == 0  # "due" is not yet ok
    missing = any(r is None or "missing" in r for r in rows)
    assert rollup.ok is not missing


def test_the_spill_reads_back_each_school_as_written_in_the_schools_order() -> None:
    """What collect writes as schools are judged (in any order) is read back in the list's order,
    as often as asked, two loops at once too."""
    results = [
        district.SchoolResult(district.School(f"Trường {n}", f"{n}.json"), district.SchoolState.OK)
        for n in range(5)
    ]
    spill = district.Spill()
    starts = {n: spill.write(results[n]) for n in (3, 0, 4, 1, 2)}
    spill.put_in_order(starts[n] for n in range(5))
    assert (
        list(spill) == results and len(spill) == 5 and spill[3] == results[3] and spill[1:3] == results[1:3]
    )
    assert [(a.school.name, b.school.name) for a, b in zip(spill, spill, strict=True)] == [
        (r.school.name, r.school.name) for r in results
    ]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_district_json_written_a_school_at_a_time_is_json_dumps_of_the_whole(count: int) -> None:
    first = Quarter.parse("2025-Q4")
    schools = [district.School(f'Trường "{n}"\nmới', f"{n}.json") for n in range(count)]
    bodies: list[bytes | district.FetchFailure] = [
        _report_with(["ok", "missing", "excused", "ok", "due"][: 4 + n % 2], first, TODAY)
        for n in range(count)
    ]
    rollup = district.roll_up(schools, bodies, TODAY)
    rollup.notes.append("Ghi chú của lần chạy")
    text = district.json_text(rollup)
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert [s["name"] for s in json.loads(text)["schools"]] == [s.name for s in schools]


def test_percent_is_a_vietnamese_number_that_never_rounds_up_to_the_target() -> None:
    def percent(part: int, whole: int) -> str:
        return district.QuarterShare(Quarter.parse("2026-Q1"), whole, part).percent

    assert percent(999, 1000) == "99,9%" and percent(9999, 10000) == "99,9%"  # never 100% short of it
    assert percent(3, 3) == "100%" and percent(2, 3) == "66,7%" and percent(1, 3) == "33,3%"
    assert percent(4, 13) == "30,8%" and percent(1, 2) == "50%" and percent(0, 5) == "0%"
    assert percent(1, 10000) == "0,1%"  # one school is never shown as none


# --- the schools list ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("name: A\nreport: a.json\n", "phải là một danh sách"),
        ("- name: A\n", "mục 1 (A): thiếu 'report:'"),
        ("- report: a.json\n", "mục 1: thiếu 'name:'"),
        ("- {name: A, report: a.json}\n- {name: ' a ', report: b.json}\n", "mục 2: ' a ' đã có ở mục 1"),
        ("- {name: A, report: a.json, url: x}\n", "khóa lạ url"),
        ("- [unclosed\n", "dòng 2: danh sách trong [ ] viết sai"),
        ("- name: A\n  report: a.json\n - name: B\n", "dòng 3: thụt lề không đều"),
        ("- name: A\nreport: a.json\n", "dòng 2: thụt lề không đều"),
        ("- name: A\x07\n  report: a.json\n", "có ký tự ẩn không được phép (mã 0x0007"),
        (
            "- {name: Trường Chu Văn An, report: a.json}\n- {name: Trường Chu Văn Ân, report: b.json}\n",
            "mục 2: 'Trường Chu Văn Ân' chỉ khác 'Trường Chu Văn An' (mục 1) ở dấu",
        ),
    ],
)
def test_a_bad_schools_list_names_the_entry(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "schools.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(district.SchoolsError) as caught:
        district.load_schools(path)
    assert message in str(caught.value) and str(path) in str(caught.value)
    assert not re.search(r"[a-z]+ [a-z]+ (not|found|expected|while)", str(caught.value))  # no PyYAML English


@pytest.mark.parametrize(
    "text, message",
    [
        # An entry's mistake, then a YAML one further down: the YAML one is said, as when read whole.
        ("- name: A\n- name: B\n  report: b.json\n - name: C\n", "dòng 4: thụt lề không đều"),
        (
            "- {name: A, report: a.json}\n- {name: A, report: b.json}\n- [unclosed\n",
            "dòng 4: danh sách trong [ ] viết sai",
        ),
        ("- {name: A, report: a.json}\n---\n- {name: B, report: b.json}\n", "dòng 2: cú pháp sai"),
        ("- {name: A, report: a.json}\n- *khong-co\n", "dòng 2: có dấu '*' ở đầu giá trị"),
        ("", "phải là một danh sách"),
        ("# chỉ có ghi chú\n", "phải là một danh sách"),
    ],
)
def test_the_schools_list_read_an_entry_at_a_time_says_what_reading_it_whole_said(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "schools.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(district.SchoolsError) as caught:
        district.load_schools(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_an_anchor_in_the_schools_list_serves_the_entries_after_it(tmp_path: Path) -> None:
    path = tmp_path / "schools.yml"
    path.write_text("- &a {name: A, report: a.json}\n- {<<: *a, name: B}\n", encoding="utf-8")
    assert [(s.name, s.report) for s in district.load_schools(path)] == [("A", "a.json"), ("B", "a.json")]
    path.write_text("[]\n", encoding="utf-8")
    assert district.load_schools(path) == []


def test_a_temporary_folder_that_cannot_be_written_is_said_in_vietnamese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The judged schools wait in a temporary file: a missing TMPDIR (or a full disk) is the
    command's "Lỗi:" line and exit 2, not a traceback."""
    schools = tmp_path / "schools.yml"
    schools.write_text(
        "- name: Trường A\n  report: http://127.0.0.1:9/bao-cao/coverage.json\n", encoding="utf-8"
    )
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "khong-co"))
    assert district.main(["--schools", str(schools), "--as-of", "2026-11-23", "--timeout", "0.5"]) == 2
    said = capsys.readouterr().err
    assert said.startswith("Lỗi: không ghi được tệp tạm của bản tổng hợp (không có tệp hoặc thư mục này)")
    assert "Traceback" not in said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("--- !foo\n- name: Trường A\n  report: http://a.example/c.json\n", "dòng 1: cú pháp sai"),
        ("--- !!map\n- name: Trường A\n  report: http://a.example/c.json\n", "phải là một danh sách"),
    ],
)
def test_a_schools_list_with_a_tag_of_its_own_is_refused(tmp_path: Path, text: str, said: str) -> None:
    """The list is read an entry at a time; a tag on the list itself is still PyYAML's to judge."""
    schools = tmp_path / "schools.yml"
    schools.write_text(text, encoding="utf-8")
    with pytest.raises(district.SchoolsError, match=said):
        district.load_schools(schools)


def test_a_missing_schools_list_is_said_in_vietnamese(tmp_path: Path) -> None:
    with pytest.raises(district.SchoolsError, match=r"\(không có tệp hoặc thư mục này\)$"):
        district.load_schools(tmp_path / "khong-co.yml")


# --- reports served on 127.0.0.1 -------------------------------------------------------------------

BIG = 3 * 1024 * 1024


class Reports(http.server.BaseHTTPRequestHandler):
    """path -> (status, body, delay in seconds, send Content-Length)."""

    routes: dict[str, tuple[int, bytes, float, bool]] = {}
    hits: dict[str, int] = {}

    def do_GET(self) -> None:  # noqa: N802
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        if self.path == "/flaky/coverage.json" and self.hits[self.path] % 2 == 1:  # every other time
            self.send_response(503)
            self.end_headers()
            return
        if self.path.startswith("/bai-viet/"):  # the sample reports' posts, on the school's own host
            self.routes.setdefault(self.path, (200, b"<html>...</html>", 0.0, True))
        status, body, delay, length = self.routes.get(self.path, (404, b"Not found", 0.0, True))
        time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops concurrent connections, as no real host does


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = Server(("127.0.0.1", 0), Reports)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    # The reports' posts are on the reports' own host, as a real school's are: the roll-up opens them.
    good = sample_report(site=f"{base}/")
    stale = excuse_2023_q3(sample_report(date(2026, 5, 10), site=f"{base}/"))
    wrong = sample_report()
    wrong["schema_version"] = 3
    hostile = sample_report(site=f"{base}/")
    first = _quarter(hostile, "2024-Q1")["posts"][0]
    first["title"] = "<img src=x onerror=alert(1)> Bài"
    first["url"] = "javascript:alert(1)"
    _quarter(hostile, "2024-Q2")["posts"][0]["url"] = "https://truong.example/<b>"
    complete = excuse_2023_q3(copy.deepcopy(good))
    _quarter(complete, "2023-Q3")["reason"] = "Trường sửa chữa <b>lớn</b>"
    Reports.routes = {
        "/good/coverage.json": (200, encode(complete), 0.0, True),
        "/gap/coverage.json": (200, encode(good), 0.0, True),
        "/stale/coverage.json": (200, encode(stale), 0.0, True),
        "/flaky/coverage.json": (200, encode(complete), 0.0, True),
        "/slow/coverage.json": (200, encode(complete), 3.0, True),
        "/bad-json/coverage.json": (200, b"<html><body>502 Bad Gateway</body></html>", 0.0, True),
        "/v3/coverage.json": (200, encode(wrong), 0.0, True),
        "/big/coverage.json": (200, b" " * BIG, 0.0, True),
        "/big-unannounced/coverage.json": (200, b" " * BIG, 0.0, False),
        "/hostile/coverage.json": (200, encode(hostile), 0.0, True),
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()
    httpd.server_close()


EXPECTED = {
    "Trường Đủ": "ok",
    "Trường Thiếu": "missing",
    "Trường Cũ": "stale",
    "Trường Chập chờn": "ok",  # a 503 first, then the report: one retry is enough
    "Trường Chậm": "unreachable",
    "Trường 404": "unreachable",
    "Trường HTML": "invalid",
    "Trường Phiên bản 3": "invalid",
    "Trường Quá lớn": "invalid",
    "Trường Quá lớn không báo": "invalid",
    "<script>alert('tên')</script>": "missing",
    "Trường Không có máy chủ": "unreachable",
    "Trường Tệp": "ok",
}


def schools_file(root: Path, base: str) -> Path:
    (root / "reports").mkdir(parents=True, exist_ok=True)
    complete = excuse_2023_q3(sample_report())
    (root / "reports" / "tep.json").write_text(json.dumps(complete), encoding="utf-8")
    paths = {
        "Trường Đủ": f"{base}/good/coverage.json",
        "Trường Thiếu": f"{base}/gap/coverage.json",
        "Trường Cũ": f"{base}/stale/coverage.json",
        "Trường Chập chờn": f"{base}/flaky/coverage.json",
        "Trường Chậm": f"{base}/slow/coverage.json",
        "Trường 404": f"{base}/missing/coverage.json",
        "Trường HTML": f"{base}/bad-json/coverage.json",
        "Trường Phiên bản 3": f"{base}/v3/coverage.json",
        "Trường Quá lớn": f"{base}/big/coverage.json",
        "Trường Quá lớn không báo": f"{base}/big-unannounced/coverage.json",
        "<script>alert('tên')</script>": f"{base}/hostile/coverage.json",
        "Trường Không có máy chủ": "http://127.0.0.1:9/coverage.json",
        "Trường Tệp": "reports/tep.json",
    }
    path = root / "schools.yml"
    path.write_text(
        "".join(
            f"- name: {json.dumps(name, ensure_ascii=False)}\n  report: {url}\n"
            for name, url in paths.items()
        ),
        encoding="utf-8",
    )
    return path


def run_district(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hooks.district", *args],
        cwd=root,
        env=clean_env(epoch(2026, 11, 23), PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_roll_up_of_served_reports(server: str, tmp_path: Path) -> None:
    schools = schools_file(tmp_path, server)
    result = run_district(
        tmp_path, "--schools", str(schools), "--format", "json", "--timeout", "0.5", "--retries", "1"
    )
    assert result.returncode == 1, result.stderr  # a school misses a quarter, others can't be read
    data = json.loads(result.stdout)
    states = {s["name"]: s["state"] for s in data["schools"]}
    assert states == EXPECTED
    by_name = {s["name"]: s for s in data["schools"]}
    assert by_name["Trường Cũ"]["as_of"] == "2026-05-10" and by_name["Trường Cũ"]["stale"] is True
    assert by_name["Trường Thiếu"]["quarters"]["2023-Q3"] == "missing"
    assert by_name["Trường Đủ"]["quarters"]["2023-Q3"] == "excused"
    assert "HTTP 404" in by_name["Trường 404"]["problem"]
    assert "0.5 giây" in by_name["Trường Chậm"]["problem"]
    assert "phiên bản báo cáo là 3" in by_name["Trường Phiên bản 3"]["problem"]
    assert "giới hạn" in by_name["Trường Quá lớn"]["problem"]
    assert "giới hạn" in by_name["Trường Quá lớn không báo"]["problem"]
    assert Reports.hits["/flaky/coverage.json"] % 2 == 0  # the 503, then the retry

    # Hand count, 13 schools: 2023-Q3 is excused for Đủ, Chập chờn, Tệp and Cũ; Thiếu and the
    # hostile report miss it; the other seven can't be read. So 4 of 13.
    shares = {q["quarter"]: (q["ok_or_excused"], q["schools"]) for q in data["quarters"]}
    assert shares["2023-Q3"] == (4, 13)
    # 2024-Q1: the six readable reports all have a post (Thiếu, Cũ and the hostile one included).
    assert shares["2024-Q1"] == (6, 13)
    # 2026-Q2 and later: Cũ's report stops at 2026-Q2 (due then), so 5 of 13.
    assert shares["2026-Q2"] == (5, 13) and shares["2026-Q4"] == (5, 13)
    assert data["quarters"][-1]["quarter"] == "2026-Q4"
    assert all(q["share"] == round(q["ok_or_excused"] / 13, 4) for q in data["quarters"])


def test_other_formats_and_exit_status(server: str, tmp_path: Path) -> None:
    schools = schools_file(tmp_path, server)
    text = run_district(tmp_path, "--schools", str(schools), "--timeout", "0.5", "--retries", "1")
    assert text.returncode == 1 and "13 trường: 3 đủ bài, 2 thiếu bài, 1 báo cáo cũ" in text.stdout
    assert re.search(r"^Quý III/2023 +4/13 +30,8%$", text.stdout, re.MULTILINE)
    table = run_district(
        tmp_path, "--schools", str(schools), "--format", "csv", "--timeout", "0.5", "--retries", "1"
    )
    assert table.stdout.startswith("\ufeff")  # UTF-8 with a BOM: Excel on Windows reads Vietnamese
    rows = list(csv.reader(io.StringIO(table.stdout.removeprefix("\ufeff"))))
    assert rows[0][:5] == ["Trường", "Địa chỉ báo cáo", "Tình trạng", "Báo cáo ngày", "Quý I/2023"]
    by_label = {row[0]: row for row in rows if row}
    q3_2023 = rows[0].index("Quý III/2023")
    assert by_label["Số trường đạt hoặc được miễn"][q3_2023] == "4"
    assert by_label["Số trường xét được"][q3_2023] == "13"
    assert by_label["Tỉ lệ (%)"][q3_2023] == "30"  # whole per cent, floored: a number in any locale
    markdown = run_district(tmp_path, "--schools", str(schools), "--format", "markdown", "--timeout", "0.5")
    assert "| &lt;script&gt;alert('tên')&lt;/script&gt; | báo cáo của trang | Thiếu bài |" in markdown.stdout

    good = tmp_path / "good.yml"
    good.write_text(
        f"- name: A\n  report: {server}/good/coverage.json\n- name: B\n  report: reports/tep.json\n"
    )
    assert run_district(tmp_path, "--schools", str(good)).returncode == 0
    broken = tmp_path / "broken.yml"
    broken.write_text("- name: A\n")
    failed = run_district(tmp_path, "--schools", str(broken))
    assert failed.returncode == 2 and "broken.yml, mục 1 (A): thiếu 'report:'" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_dashboard_page_escapes_what_reports_carry(server: str, tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "quan",
        {"2026/a.md": "---\ntitle: Bài\ndate: 2026-10-02\n---\n\nNội dung.\n"},
        extra="district:\n  schools: schools.yml\n  timeout: 0.5\n  retries: 1\n",
    )
    schools_file(root, server)
    build = run_build(root)
    assert build.code == 0, build.log
    # Another school's report never stops this build (it is strict under the Pages workflow).
    assert "BÁO CÁO: Trường Chậm: không tải được" in build.log and "WARNING" not in build.log
    html = build.page("tong-hop")
    assert "<script>alert(" not in html and "&lt;script&gt;alert(&#39;tên&#39;)&lt;/script&gt;" in html
    assert "<img src=x" not in html  # post titles stay behind the link to the school's own report
    assert "javascript:" not in html
    assert (
        f'<a href="{server}/good/#quy-2024-1">Đạt</a>' in html
    )  # a cell opens that quarter on the school's report
    assert "Trường sửa chữa <b>" not in html
    rows = re.findall(r'<th scope="row">(?:<a href="([^"]*)">)?([^<]+)', html)
    names = [name for _, name in rows]
    assert "Trường Đủ" in names and len([n for n in names if n.startswith("Trường") or "&lt;" in n]) == 13
    assert f'<a href="{server}/good/">Trường Đủ</a>' in html  # the school's report page
    assert re.search(r'<th scope="row">Quý III/2023</th>\s*<td>4/13</td>\s*<td>30,8%</td>', html)
    data = json.loads((build.site / "tong-hop" / "district.json").read_text(encoding="utf-8"))
    assert {s["name"]: s["state"] for s in data["schools"]} == EXPECTED


# --- the sample district ------------------------------------------------------------------------


def test_sample_reports_are_what_the_script_makes() -> None:
    sys.path.insert(0, str(ROOT / "data"))
    try:
        import make_sample_reports
    finally:
        sys.path.remove(str(ROOT / "data"))
    for name, text in make_sample_reports.reports().items():
        assert (ROOT / "data" / "reports" / name).read_text(encoding="utf-8") == text, name


@pytest.mark.build
def test_sample_district_command_and_site(tmp_path: Path) -> None:
    # The log goes to tmp_path: a test never appends to the repository's data/observations/.
    result = run_district(ROOT, "--format", "json", "--observations", str(tmp_path / "log"))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert {s["name"]: s["state"] for s in data["schools"]} == {
        "Trường Mầm non Hoa Sen": "missing",
        "Trường Tiểu học Kim Đồng": "ok",
        "Trường THCS Lê Quý Đôn": "ok",
        "Trường Mầm non Sao Mai": "stale",  # its report is schema 1: read all the same
        "Trường Tiểu học Hoà Bình": "missing",  # every quarter has a post, the 2025 Action Month none
        "Trường THPT Nguyễn Trãi": "unreachable",
        "Trường Tiểu học Hoa Mai": "ok",  # its NukeViet feed's 12 posts reach back to 5/9/2024
        "Trường THCS Sao Khuê": "missing",  # its sitemap lists every sample post: 2023-Q3 has none
    }
    by_name = {s["name"]: s for s in data["schools"]}
    assert by_name["Trường Tiểu học Hoà Bình"]["missing_observances"] == [
        {"name": "Tháng hành động vì bình đẳng giới", "year": 2025}
    ]
    assert set(by_name["Trường Tiểu học Hoà Bình"]["quarters"].values()) <= {"ok", "due"}
    hoa_mai = by_name["Trường Tiểu học Hoa Mai"]
    assert hoa_mai["source"] == "feed" and hoa_mai["judged_from"] == "2024-09-05"
    assert hoa_mai["quarters"]["2024-Q2"] == "insufficient" and hoa_mai["quarters"]["2024-Q3"] == "ok"
    shares = {q["quarter"]: (q["ok_or_excused"], q["schools"]) for q in data["quarters"]}
    # 2023-Q3: Kim Đồng (a post), Lê Quý Đôn (excused), Sao Mai (a post), Hoà Bình (a post); Hoa Sen
    # and Sao Khuê none, Nguyễn Trãi unread; Hoa Mai's feed does not reach back: 4 of 7.
    assert shares["2023-Q3"] == (4, 7) and shares["2024-Q1"] == (6, 7) and shares["2024-Q3"] == (7, 8)
    # 2026-Q2: Sao Mai's report is from 15/6/2026, when the quarter was still running.
    assert shares["2026-Q2"] == (6, 8)
    # Action Months: Hoa Mai's feed starts in September 2024; Hoà Bình missed 2025; 2026 runs.
    months = {m["year"]: (m["held"], m["schools"]) for m in data["action_months"]}
    assert months == {2023: (6, 7), 2024: (7, 8), 2025: (6, 8), 2026: (6, 8)}

    out = tmp_path / "site"
    build = run_build(ROOT, config="district.yml", out=out, today=epoch(2026, 11, 23))
    assert build.code == 0, build.log
    html = (out / "tong-hop" / "index.html").read_text(encoding="utf-8")
    assert "Tổng hợp chuyên mục bình đẳng giới các trường" in html
    assert re.search(r'<th scope="row">Quý III/2023</th>\s*<td>4/7</td>\s*<td>57,1%</td>', html)
    assert re.search(
        r'<th scope="row">Quý IV/2026</th>\s*<td>6/8</td>\s*<td>75%</td>\s*<td>Quý đang diễn ra</td>', html
    )
    assert re.search(r'<th scope="row">Tháng hành động vì bình đẳng giới 2025</th>\s*<td>6/8</td>', html)
    sao_mai = html.split("Trường Mầm non Sao Mai", 1)[1].split("</tr>", 1)[0]
    # Its report stops at 15/6/2026: Quý II/2026 has ended since, so it is not "in progress".
    assert "Đang diễn ra" not in sao_mai and "Chưa có kết quả" in sao_mai
    assert "2023-Q3" not in html.split('<div class="district-grid"', 1)[1]  # labels, never keys
    page_data = json.loads((out / "tong-hop" / "district.json").read_text(encoding="utf-8"))
    assert page_data["schools"] == data["schools"] and page_data["quarters"] == data["quarters"]
    # The district office's own site: its own column and report, not the sample school's.
    assert sorted(p.name for p in (out / "bai-viet").iterdir()) == [
        "huong-dan-cac-truong-duy-tri-chuyen-muc-binh-dang-gioi-hang-quy",
        "phat-dong-thang-hanh-dong-vi-binh-dang-gioi-nam-2026",
        "so-ket-cong-tac-binh-dang-gioi-chin-thang-dau-nam",
        "tap-huan-nang-cao-nang-luc-cho-can-bo-quan-ly-nu",
    ]
    assert not (out / "huong-dan").exists() and not (out / "ke-hoach").exists()
    office = json.loads((out / "bao-cao" / "coverage.json").read_text(encoding="utf-8"))
    assert office["start"] == "2026-Q1" and office["complete"] is True
    assert "Phòng Giáo dục và Đào tạo quận (trang mẫu)" in (out / "bao-cao" / "index.html").read_text(
        encoding="utf-8"
    )


# --- at district scale: 100 schools by 16 quarters -----------------------------------------------


def many_schools(root: Path, count: int = 100) -> Path:
    """A district site in ``root`` rolling up ``count`` schools' reports from 2023-Q1 to 2026-Q4.

    School n posts in every quarter except those where (n + quarter) % 7 == 0, and misses the
    Action Month of every year divisible by (n % 4 + 2023): a mix of every state a cell can show.
    """
    as_of = date(2026, 11, 23)
    settings = coverage_settings({"coverage": {"start": "2023-Q1"}}, root)
    reports = root / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    lines = []
    for n in range(count):
        posts = []
        for index, quarter in enumerate(quarter_range(Quarter(2023, 1), Quarter(2026, 3))):
            if (n + index) % 7 == 0:
                continue
            day = quarter.start + timedelta(days=20)
            posts.append(
                Post(
                    f"posts/{n}-{index}.md",
                    f"{n}-{index}.md",
                    f"Bài {index}",
                    datetime(day.year, day.month, day.day, tzinfo=TZ),
                    f"bai-{index}",
                )
            )
        for year in (2023, 2024, 2025, 2026):
            if year != n % 4 + 2023:
                day = date(year, 11, 20)
                posts.append(
                    Post(
                        f"posts/{n}-am{year}.md",
                        f"{n}-am{year}.md",
                        f"Tháng hành động {year}",
                        datetime(day.year, day.month, day.day, tzinfo=TZ),
                        f"thang-{year}",
                    )
                )
        report = audit(posts, settings, as_of)
        (reports / f"{n:03}.json").write_text(
            coverage_json.dumps(report, f"https://truong-{n}.example/"), encoding="utf-8"
        )
        lines.append(f"- name: Trường Tiểu học số {n + 1} quận Thanh Xuân\n  report: reports/{n:03}.json\n")
    (root / "schools.yml").write_text("".join(lines), encoding="utf-8")
    return write_site(
        root,
        {"2026/a.md": "---\ntitle: Bài\ndate: 2026-10-02\n---\n\nNội dung.\n"},
        extra="district:\n  schools: schools.yml\n",
    )


@pytest.mark.build
def test_a_hundred_schools_by_sixteen_quarters(tmp_path: Path) -> None:
    root = many_schools(tmp_path / "quan")
    build = run_build(root, today=epoch(2026, 11, 23))
    assert build.code == 0, build.log
    html = build.page("tong-hop")
    grid = html.split('<div class="district-grid"', 1)[1].split("</table>", 1)[0]
    header = re.findall(r'<th scope="col">([^<]+)</th>', grid)
    assert header[:4] == ["Trường", "Tình trạng", "Báo cáo ngày", "Nguồn"] and len(header) == 4 + 16
    assert header[4] == "Quý IV/2026" and header[-1] == "Quý I/2023"
    assert len(re.findall(r'<th scope="row">', grid)) == 100
    cells = re.findall(r'<td class="coverage-cell coverage-(\w+)">([^<]+)</td>', grid)
    assert len(cells) == 100 * 16  # compact: a word a cell (the reports here are files, so no links)
    assert {css for css, _ in cells} == {"ok", "missing", "due"}
    # The quarter in progress never counts schools as short of a post.
    assert re.search(
        r'<th scope="row">Quý IV/2026</th>\s*<td>\d+/100</td>\s*<td>[\d.]+%</td>\s*<td>Quý đang diễn ra</td>',
        html,
    )
    css = (build.site / "assets/stylesheets/report.css").read_text(encoding="utf-8")
    assert "position: sticky" in css
