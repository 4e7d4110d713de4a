"""Schools on their own portals: NukeViet, WordPress and Atom feeds, a NukeViet sitemap index, a forged
report, all served on 127.0.0.1, with the district's observation log; verdicts counted by hand."""

from __future__ import annotations

import csv
import http.server
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import clean_env, epoch, run_build, serving, write_site
from hypothesis import given
from hypothesis import strategies as st
from test_district import CONTRADICTIONS, encode, excuse_2023_q3, sample_report

from hooks import district, observations, sources
from hooks.dates import zone
from hooks.fetch import FetchLimits
from hooks.quarters import Quarter

TZ = zone("Asia/Ho_Chi_Minh")
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=TZ)
LIMITS = FetchLimits(timeout=2, retries=0)
RULES = district.Rules.of({}, Path("."), Quarter(2025, 1))

# --- what the portals print -----------------------------------------------------------------------


def nukeviet_rss(items: list[tuple[str, str, str]]) -> bytes:
    """NukeViet 4's category feed (nv_rss_generate): 'D, j M Y H:m:s GMT', the month where the minutes go."""
    body = "".join(
        f'<item><title><![CDATA[{title}]]></title><link>{link}</link><guid isPermaLink="false">news_{n}</guid>'
        f"<description><![CDATA[Tóm tắt]]></description><pubDate>{day}</pubDate></item>\n"
        for n, (title, link, day) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet type="text/xsl" href="/assets/css/rss.xsl"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>\n'
        "<title>Trường Tiểu học Hoa Mai - Bình đẳng giới</title><link>https://thhoamai.edu.vn/</link>\n"
        "<description>Chuyên mục</description><language>vi</language><copyright>Trường Tiểu học Hoa Mai</copyright>\n"
        "<docs>https://thhoamai.edu.vn/vi/rss/</docs><generator>NukeViet v4.0</generator>\n"
        f"{body}</channel></rss>\n"
    ).encode()


def wordpress_rss(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><dc:creator><![CDATA[admin]]></dc:creator>"
        f"<pubDate>{day}</pubDate><category><![CDATA[Bình đẳng giới]]></category>"
        f'<guid isPermaLink="false">{link}?p={n}</guid><description><![CDATA[…]]></description></item>\n'
        for n, (title, link, day) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"'
        ' xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>\n'
        "<title>Bình đẳng giới – THCS Ngôi Sao</title><link>https://thcsngoisao.edu.vn</link>"
        "<lastBuildDate>Mon, 17 Nov 2026 09:00:00 +0000</lastBuildDate><language>vi</language>"
        "<sy:updatePeriod>hourly</sy:updatePeriod><generator>https://wordpress.org/?v=6.6.2</generator>\n"
        f"{body}</channel></rss>\n"
    ).encode()


def atom(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f'<entry><title>{title}</title><link rel="alternate" href="{link}"/><id>{link}</id>'
        f"<published>{day}</published><updated>{day}</updated></entry>\n"
        for title, link, day in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Mầm non Bình Minh</title><id>https://mnbinhminh.edu.vn/</id><updated>2026-11-16T08:00:00+07:00</updated>\n"
        f"{body}</feed>\n"
    ).encode()


def sitemap(urls: list[tuple[str, str]]) -> bytes:
    """NukeViet's news sitemap (nv_xmlSitemap_generate): lastmod = date('c', publtime)."""
    body = "".join(
        f"<url><loc>{loc}</loc><lastmod>{lastmod}</lastmod><changefreq>daily</changefreq><priority>0.8</priority></url>"
        for loc, lastmod in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="/assets/css/sitemap.xsl"?>\n'
        '<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{body}</urlset>"
    ).encode()


def sitemap_index(children: list[str]) -> bytes:
    body = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{body}</sitemapindex>"
    ).encode()


# --- one server for every portal ----------------------------------------------------------------


class Portals(http.server.BaseHTTPRequestHandler):
    routes: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802
        body = self.routes.get(self.path)
        if body is None and self.path.startswith("/truong-that/bai-viet/") and "khong-co" not in self.path:
            body = b"<html>bai</html>"
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serving(Portals) as address:
        yield address


def portals(base: str) -> dict[str, bytes]:
    nv = f"{base}/vi/news/binh-dang-gioi"
    forged = excuse_2023_q3(sample_report(TODAY, site=f"{base}/truong-that/"))
    q2 = next(q for q in forged["quarters"] if q["quarter"] == "2026-Q2")
    q2["posts"][0]["url"] = f"{base}/truong-that/bai-viet/khong-co-bai-nay/"  # the forged line: no such page
    return {
        # NukeViet 4.4: 17:09:12 GMT on 30/9 is 00:09 on 1/10 in Hà Nội (the minutes are the month, 09).
        "/hoa-mai/vi/news/rss/binh-dang-gioi/": nukeviet_rss(
            [
                ("Hưởng ứng Tháng hành động", f"{nv}/huong-ung-1.html", "Fri, 20 Nov 2026 01:11:05 GMT"),
                ("Sinh hoạt dưới cờ", f"{nv}/sinh-hoat-2.html", "Fri, 21 Aug 2026 08:08:00 GMT"),
                ("Ngày Gia đình", f"{nv}/gia-dinh-3.html", "Mon, 4 May 2026 03:05:00 GMT"),
                ("Ngày 8/3", f"{nv}/ngay-8-3-4.html", "Thu, 5 Feb 2026 02:02:00 GMT"),
                ("Khai giảng", f"{nv}/khai-giang-5.html", "Tue, 30 Sep 2025 17:09:12 GMT"),
            ]
        ),
        # WordPress: GMT with +0000; 18:30 on 31/12/2025 is 01:30 on 1/1/2026 in Hà Nội.
        "/ngoi-sao/category/binh-dang-gioi/feed/": wordpress_rss(
            [
                (
                    "Tháng hành động",
                    "https://thcsngoisao.edu.vn/thang-hanh-dong/",
                    "Mon, 17 Nov 2026 09:00:00 +0000",
                ),
                ("Tháng Tư", "https://thcsngoisao.edu.vn/thang-tu/", "Tue, 14 Apr 2026 03:00:00 +0000"),
                ("Đầu năm", "https://thcsngoisao.edu.vn/dau-nam/", "Wed, 31 Dec 2025 18:30:00 +0000"),
            ]
        ),
        "/binh-minh/feed.atom": atom(
            [
                ("Quý IV", "https://mnbinhminh.edu.vn/q4", "2026-11-16T08:00:00+07:00"),
                ("Quý III", "https://mnbinhminh.edu.vn/q3", "2026-07-02T08:00:00+07:00"),
                ("Quý II", "https://mnbinhminh.edu.vn/q2", "2026-04-02T08:00:00+07:00"),
                ("Quý I", "https://mnbinhminh.edu.vn/q1", "2026-01-10T08:00:00+07:00"),
            ]
        ),
        # NukeViet with RSS turned off: an empty channel.
        "/tat-rss/vi/news/rss/binh-dang-gioi/": nukeviet_rss([]),
        "/sao-khue/sitemap.xml": sitemap_index(
            [f"{base}/sao-khue/sitemap-vi.news.xml", "https://elsewhere.example/x.xml"]
        ),
        "/sao-khue/sitemap-vi.news.xml": sitemap(
            [
                (f"{base}/vi/news/binh-dang-gioi/q3-2026.html", "2026-08-10T09:00:00+07:00"),
                (f"{base}/vi/news/binh-dang-gioi/q2-2026.html", "2026-05-10T09:00:00+07:00"),
                (f"{base}/vi/news/tin-tuc/khac.html", "2026-03-01T09:00:00+07:00"),
                (f"{base}/vi/news/binh-dang-gioi/q1-2026.html", "2026-02-10T09:00:00+07:00"),
                (f"{base}/vi/news/binh-dang-gioi/am-2025.html", "2025-11-20T09:00:00+07:00"),
                (f"{base}/vi/news/binh-dang-gioi/q3-2025.html", "2025-07-10T09:00:00+07:00"),
                (f"{base}/vi/news/tin-tuc/cu-nhat.html", "2025-06-01T09:00:00+07:00"),
            ]
        ),
        "/truong-that/bao-cao/coverage.json": encode(forged),
    }


def schools_file(folder: Path, base: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "schools.yml"
    path.write_text(
        f"- name: Trường Tiểu học Hoa Mai\n  feed: {base}/hoa-mai/vi/news/rss/binh-dang-gioi/\n"
        f"- name: Trường THCS Ngôi Sao\n  feed: {base}/ngoi-sao/category/binh-dang-gioi/feed/\n"
        f"- name: Trường Mầm non Bình Minh\n  feed: {base}/binh-minh/feed.atom\n"
        f"- name: Trường Tắt RSS\n  feed: {base}/tat-rss/vi/news/rss/binh-dang-gioi/\n"
        f"- name: Trường Sao Khuê\n  sitemap: {base}/sao-khue/sitemap.xml\n  path: /vi/news/binh-dang-gioi/\n"
        "  dates: published\n"
        f"- name: Trường Báo cáo giả\n  report: {base}/truong-that/bao-cao/coverage.json\n",
        encoding="utf-8",
    )
    return path


# Hand-computed, as of 23/11/2026 with the district's start 2025-Q1 and the log begun today.
INS, OK, MISS, DUE, LATE = "insufficient", "ok", "missing", "due", "late"
EXPECTED = {
    # Oldest item 1/10/2025 (the time-zone edge: 30/9 in GMT): 2025-Q1..Q3 cannot be judged;
    # Action Month 2025 (15/11-15/12) has no post though the feed reaches back to October: missing.
    "Trường Tiểu học Hoa Mai": (
        "missing",
        {"2025-Q1": INS, "2025-Q2": INS, "2025-Q3": INS, "2025-Q4": OK, "2026-Q1": OK, "2026-Q2": OK}
        | {"2026-Q3": OK, "2026-Q4": OK},
    ),
    # Oldest 1/1/2026 (31/12/2025 in GMT): 2025 cannot be judged; no post in 2026-Q3: missing.
    "Trường THCS Ngôi Sao": (
        "missing",
        {"2025-Q1": INS, "2025-Q2": INS, "2025-Q3": INS, "2025-Q4": INS, "2026-Q1": OK, "2026-Q2": OK}
        | {"2026-Q3": MISS, "2026-Q4": OK},
    ),
    "Trường Mầm non Bình Minh": (
        "ok",
        {"2025-Q1": INS, "2025-Q2": INS, "2025-Q3": INS, "2025-Q4": INS, "2026-Q1": OK, "2026-Q2": OK}
        | {"2026-Q3": OK, "2026-Q4": OK},
    ),
    "Trường Tắt RSS": ("unreadable", {}),
    # The sitemap reaches back to 1/6/2025 (another category's post counts for how far it reaches).
    "Trường Sao Khuê": (
        "ok",
        {"2025-Q1": INS, "2025-Q2": INS, "2025-Q3": OK, "2025-Q4": OK, "2026-Q1": OK, "2026-Q2": OK}
        | {"2026-Q3": OK, "2026-Q4": DUE},
    ),
}


def test_every_kind_of_portal_by_hand(base: str, tmp_path: Path) -> None:
    Portals.routes = portals(base)
    path = schools_file(tmp_path, base)
    rollup = district.collect(path, TODAY, LIMITS, RULES, tmp_path / "log", record=True, at=NOW)
    by_name = {r.school.name: r for r in rollup.schools}
    for name, (state, quarters) in EXPECTED.items():
        result = by_name[name]
        assert str(result.state) == state, (name, result.problem)
        got = {
            s.quarter.key: v
            for s in rollup.quarters
            if (v := result.verdict(s.quarter)) is not None and s.quarter >= Quarter(2025, 1)
        }
        assert got == quarters, name
    hoa_mai = by_name["Trường Tiểu học Hoa Mai"]
    assert [o.year for o in hoa_mai.missing_observances] == [2025]
    assert any("số tháng vào chỗ số phút" in note for note in hoa_mai.notes)
    assert hoa_mai.judged_from == date(2025, 10, 1)
    assert district.INSUFFICIENT_WHY in hoa_mai.notes
    # A sitemap school is not told to send a sitemap: it is told how to say when its site began.
    sao_khue = by_name["Trường Sao Khuê"]
    assert (
        district.INSUFFICIENT_WHY_SITEMAP in sao_khue.notes
        and district.INSUFFICIENT_WHY not in sao_khue.notes
    )
    assert "RSS" in (by_name["Trường Tắt RSS"].problem or "")
    forged = by_name["Trường Báo cáo giả"]
    assert forged.state is district.SchoolState.MISSING and forged.missing == [Quarter(2026, 2)]
    assert "khong-co-bai-nay" in forged.failed_posts[0] and "HTTP 404" in forged.failed_posts[0]
    # The shares leave out what cannot be judged: 2025-Q3 is judged for Sao Khuê and the report alone.
    q3_2025 = next(s for s in rollup.quarters if s.quarter.key == "2025-Q3")
    assert (q3_2025.ok_or_excused, q3_2025.schools, q3_2025.insufficient) == (2, 3, 3)  # + Tắt RSS: not ok
    assert q3_2025.percent == "66,7%"
    due = {(d.name, d.period, d.days_left) for d in rollup.due_soon}
    assert due == {
        ("Trường Sao Khuê", "Quý IV/2026", 39),
        ("Trường Sao Khuê", "Tháng hành động vì bình đẳng giới 2026", 23),
    }
    # The log: one file per school, what was seen; the first run says evidence starts today.
    assert any("bắt đầu từ hôm nay" in note for note in rollup.notes)
    lines = (tmp_path / "log" / "truong-tieu-hoc-hoa-mai.jsonl").read_text(encoding="utf-8").splitlines()
    assert sum(1 for line in lines if json.loads(line)["kind"] == "item") == 5
    # A second run the same day asks no post address again (the log says they answered today).
    Portals.routes = portals(base)
    again = district.collect(
        path, TODAY, LIMITS, RULES, tmp_path / "log", record=True, at=NOW + timedelta(hours=1)
    )
    assert {r.school.name: str(r.state) for r in again.schools} == {
        r.school.name: str(r.state) for r in rollup.schools
    }


def test_a_backdated_item_seen_a_quarter_later_is_late_and_a_vanished_one_stays(
    base: str, tmp_path: Path
) -> None:
    link = "https://thhoamai.edu.vn/vi/news/binh-dang-gioi"
    feed = "/sau/vi/news/rss/binh-dang-gioi/"
    path = tmp_path / "schools.yml"
    path.write_text(f"- name: Trường Sau\n  feed: {base}{feed}\n", encoding="utf-8")
    logs = tmp_path / "log"
    # First run on 20/5/2026: one April post.
    Portals.routes = {feed: nukeviet_rss([("Tháng Tư", f"{link}/x.html", "Sun, 5 Apr 2026 02:04:00 GMT")])}
    first = district.collect(
        path, date(2026, 5, 20), LIMITS, RULES, logs, True, datetime(2026, 5, 20, 7, tzinfo=TZ)
    )
    assert first.schools[0].verdict(Quarter(2026, 2)) == "ok"
    # Second run on 23/11: April's post has dropped off; a post dated 10/8 appears only now (backdated).
    Portals.routes = {
        feed: nukeviet_rss(
            [
                ("Tháng Mười Một", f"{link}/z.html", "Sun, 1 Nov 2026 02:11:00 GMT"),
                ("Ghi lùi ngày", f"{link}/y.html", "Mon, 10 Aug 2026 02:08:00 GMT"),
            ]
        )
    }
    second = district.collect(path, TODAY, LIMITS, RULES, logs, True, NOW)
    result = second.schools[0]
    assert result.verdict(Quarter(2026, 2)) == "ok"  # the vanished post stays in the evidence
    assert (
        result.verdict(Quarter(2026, 3)) == "late"
        and result.cell(Quarter(2026, 3), TODAY).word == "Bổ sung muộn"
    )
    assert result.verdict(Quarter(2026, 4)) == "ok"
    assert result.verdict(Quarter(2026, 1)) == "insufficient"  # before the oldest item seen (5/4)
    assert result.state is district.SchoolState.MISSING
    kinds = [json.loads(line)["kind"] for line in (logs / "truong-sau.jsonl").read_text().splitlines()]
    assert kinds == ["item", "run", "gone", "item", "item", "run"]

    # A log edited by hand never invents evidence: the bad line is named, the dates declared are used.
    log_file = logs / "truong-sau.jsonl"
    text = log_file.read_text().splitlines()
    log_file.write_text("\n".join([text[0], "{không phải json", *text[1:]]) + "\n")
    third = district.collect(path, TODAY, LIMITS, RULES, logs, False, NOW)
    assert third.schools[0].verdict(Quarter(2026, 3)) == "ok"
    assert any("dòng 2" in note and "ngày ghi trên bài" in note for note in third.schools[0].notes)


# --- the portals' quirks, one at a time ---------------------------------------------------------


def test_nukeviet_minutes_are_the_month_and_never_move_the_day() -> None:
    read = sources.read_feed(nukeviet_rss([("A", "https://t.vn/a", "Tue, 30 Sep 2025 17:09:59 GMT")]), TZ)
    assert read.items[0].day == date(2025, 10, 1) and not read.items[0].time_known
    # In a zone with a half hour the unknown minutes could cross midnight: the day as written, and said so.
    kolkata = zone("Asia/Kolkata")
    edge = sources.read_feed(
        nukeviet_rss([("A", "https://t.vn/a", "Tue, 30 Sep 2025 18:09:00 GMT")]), kolkata
    )
    assert edge.items[0].day == date(2025, 9, 30) and "ngày đăng lấy như ghi" in edge.notes[0]


def test_a_feed_that_is_a_web_page_or_a_file_name_is_refused() -> None:
    with pytest.raises(sources.SourceError) as page:
        sources.read_feed("<html><body>Trang chủ</body></html>".encode(), TZ)
    assert page.value.kind == "invalid"
    with pytest.raises(sources.SourceError):  # feedparser would open a bytes value naming a file
        sources.read_feed(b"/etc/passwd", TZ)


def test_a_sitemap_with_entities_is_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><urlset>&a;</urlset>'
    with pytest.raises(sources.SourceError) as refused:
        sources.read_sitemap(bomb, TZ, "/", True)
    assert "DTD" in str(refused.value)


def test_wordpress_sitemap_dates_are_edits_and_not_used() -> None:
    read = sources.read_sitemap(
        sitemap([("https://t.vn/bdg/a/", "2026-11-20T01:00:00+00:00")]), TZ, "/bdg/", False
    )
    assert isinstance(read, sources.Listing) and read.items[0].day is None and not read.dated


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
def test_the_day_without_minutes_is_the_day_of_every_minute_of_that_hour(moment: datetime) -> None:
    stamp = moment.replace(tzinfo=UTC)
    day, exact = sources._day_without_minutes(stamp, TZ)
    assert exact  # Hà Nội's offsets are whole hours
    for minute in (0, 59):
        assert stamp.replace(minute=minute).astimezone(TZ).date() == day
    assert Quarter.of(day) == Quarter.of(stamp.astimezone(TZ).date())


@given(st.integers(min_value=0, max_value=5000), st.integers(min_value=1, max_value=5000))
def test_the_percent_never_reaches_the_target_early(part: int, whole: int) -> None:
    part = min(part, whole)
    text = district.QuarterShare(Quarter(2026, 1), whole, part).percent
    assert (text == "100%") == (part == whole) and (text == "0%") == (part == 0)
    assert abs(float(text.rstrip("%").replace(",", ".")) - 100 * part / whole) <= 0.1


ENGLISH = re.compile(r"\b(count|posts|ok|on_time|status|missing|complete|late|checked|True|False)\b")


@pytest.mark.parametrize("name", list(CONTRADICTIONS))
def test_a_report_s_fault_names_no_english_key(name: str) -> None:
    report = sample_report()
    CONTRADICTIONS[name][0](report)
    result = district.judge(district.School("A", "a.json"), encode(report), TODAY)
    assert result.state is district.SchoolState.INVALID and result.problem
    assert not ENGLISH.search(result.problem), result.problem


def test_a_web_page_for_a_report_says_where_the_report_is() -> None:
    page = district.judge(district.School("A", "https://a.vn/"), b"<!doctype html><html></html>", TODAY)
    assert page.problem is not None and "…/bao-cao/coverage.json" in page.problem


def test_now_is_source_date_epoch() -> None:
    assert observations.now(TZ, {"SOURCE_DATE_EPOCH": str(epoch(2026, 11, 23))}).date() == TODAY


# --- the command, district.json, district.csv and the page agree -----------------------------------


@pytest.mark.build
def test_command_json_csv_and_page_agree(base: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    from conftest import ROOT

    Portals.routes = portals(base)
    root = write_site(
        tmp_path / "quan",
        {"2026/a.md": "---\ntitle: Bài\ndate: 2026-10-02\n---\n\nNội dung.\n"},
        extra="district:\n  schools: schools.yml\n  timeout: 2\n  retries: 0\n",
    )
    schools_file(root, base)
    env = clean_env(epoch(2026, 11, 23), PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "hooks.district", "--schools", "schools.yml", "--start", "2025-Q1"]
    done = subprocess.run([*command, "--format", "json"], cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    states = {s["name"]: s["state"] for s in data["schools"]}
    assert {name: state for name, (state, _) in EXPECTED.items()} == {n: states[n] for n in EXPECTED}
    for name, (_, quarters) in EXPECTED.items():
        school = next(s for s in data["schools"] if s["name"] == name)
        assert {k: v for k, v in school["quarters"].items() if k >= "2025-Q1"} == quarters, name
    assert [d["days_left"] for d in data["due_soon"]] == [23, 39]
    table = subprocess.run([*command, "--format", "csv"], cwd=root, env=env, capture_output=True, text=True)
    rows = list(csv.reader(io.StringIO(table.stdout.removeprefix("\ufeff"))))
    header = rows[0]
    row = next(r for r in rows if r and r[0] == "Trường THCS Ngôi Sao")
    assert (
        row[header.index("Quý III/2026")] == "Thiếu bài"
        and row[header.index("Quý I/2025")] == "Không đủ dữ liệu"
    )
    assert row[header.index("Nguồn")] == "RSS/Atom"
    assert any(r[:1] == ["Sắp đến hạn"] for r in rows)
    text = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True).stdout
    assert "ConnectError" not in text and "Traceback" not in text
    build = run_build(root, today=epoch(2026, 11, 23))
    assert build.code == 0, build.log
    html = build.page("tong-hop")
    ngoi_sao = html.split("Trường THCS Ngôi Sao</th>", 1)[1].split("</tr>", 1)[0]
    assert "RSS/Atom" in ngoi_sao and "tính được từ 01/01/2026" in ngoi_sao and "Thiếu bài" in ngoi_sao
    assert "Sắp đến hạn" in html and "còn 23 ngày" in html


def test_a_post_backdated_before_the_log_began_is_judged_by_when_it_was_first_seen(
    base: str, tmp_path: Path
) -> None:
    """The log began in Q4; a post dated 15/9 (Q3) that the first run would have shown, since that
    run showed a post as old as 20/6, appears only on 5/12: it was added then, so Q3 is late."""
    link = "https://thluimuon.edu.vn/category/binh-dang-gioi"
    feed = "/lui/category/binh-dang-gioi/feed/"
    path = tmp_path / "schools.yml"
    path.write_text(f"- name: Trường Lùi\n  feed: {base}{feed}\n", encoding="utf-8")
    logs, rules = tmp_path / "log", district.Rules.of({}, Path("."))
    shown = [
        ("Tháng Mười", f"{link}/muoi/", "Mon, 05 Oct 2026 01:00:00 +0000"),
        ("Tháng Sáu", f"{link}/sau/", "Sat, 20 Jun 2026 01:00:00 +0000"),
    ]
    Portals.routes = {feed: wordpress_rss(shown)}
    first = district.collect(
        path, date(2026, 10, 20), LIMITS, rules, logs, True, datetime(2026, 10, 20, 9, tzinfo=TZ)
    )
    assert first.schools[0].verdict(Quarter(2026, 3)) == "missing"  # judged: the feed reaches 20/6

    backdated = ("Ghi lùi ngày", f"{link}/lui/", "Tue, 15 Sep 2026 01:00:00 +0000")
    Portals.routes = {feed: wordpress_rss([shown[0], backdated, shown[1]])}
    second = district.collect(
        path, date(2026, 12, 5), LIMITS, rules, logs, True, datetime(2026, 12, 5, 9, tzinfo=TZ)
    )
    result = second.schools[0]
    # First seen 5/12, after 30/9 + 7 days: it does not fill Q3.
    assert result.verdict(Quarter(2026, 3)) == "late"
    assert result.cell(Quarter(2026, 3), date(2026, 12, 5)).word == "Bổ sung muộn"
    # What the first run showed keeps its declared date (before the log began: not checked).
    assert result.verdict(Quarter(2026, 2)) == "ok" and result.verdict(Quarter(2026, 4)) == "ok"
    assert result.state is district.SchoolState.MISSING


def test_a_school_is_asked_nothing_before_its_own_start(base: str, tmp_path: Path) -> None:
    """start: in the schools list holds for a report as for a feed: a quarter before it is neither
    missing nor "Không đủ dữ liệu", and the quarter's share leaves the school out."""
    report = sample_report(TODAY)  # the sample misses 2023-Q3
    feed = "/son-ca/vi/news/rss/binh-dang-gioi/"
    link = "https://thcssonca.edu.vn/vi/news/binh-dang-gioi"
    Portals.routes = {
        "/kim-dong/coverage.json": encode(report),
        feed: nukeviet_rss([("Tháng Mười", f"{link}/a.html", "Sun, 4 Oct 2026 02:10:00 GMT")]),
    }
    path = tmp_path / "schools.yml"
    path.write_text(
        f"- name: Trường Kim Đồng\n  report: {base}/kim-dong/coverage.json\n  start: 2024-Q1\n"
        f"- name: Trường Sơn Ca\n  feed: {base}{feed}\n  start: 2026-Q4\n"
        f"- name: Trường Không Hạn\n  report: {base}/kim-dong/coverage.json\n",
        encoding="utf-8",
    )
    rollup = district.collect(
        path, TODAY, LIMITS, district.Rules.of({}, Path(".")), tmp_path / "log", False, NOW
    )
    by_name = {r.school.name: r for r in rollup.schools}
    kim_dong, son_ca, other = (
        by_name["Trường Kim Đồng"],
        by_name["Trường Sơn Ca"],
        by_name["Trường Không Hạn"],
    )
    assert Quarter(2023, 3) not in kim_dong.cells and Quarter(2023, 3) not in kim_dong.missing
    assert Quarter(2023, 3) in other.missing  # the same report without start: misses 2023-Q3
    assert not son_ca.insufficient and min(son_ca.cells) == Quarter(2026, 4)
    shares = {s.quarter: (s.ok_or_excused, s.schools, s.insufficient) for s in rollup.quarters}
    assert shares[Quarter(2023, 3)] == (0, 1, 0)  # only the school without start is asked, and misses it
    assert shares[Quarter(2024, 1)] == (2, 2, 0)  # both reports; Sơn Ca not yet
    assert shares[Quarter(2026, 4)][1] == 3


def test_a_web_page_given_as_a_feed_is_an_invalid_feed_not_an_invalid_report(
    base: str, tmp_path: Path
) -> None:
    Portals.routes = {
        "/trang/binh-dang-gioi/": b"<!doctype html><html><body><h1>B\xc3\xacnh \xc4\x91\xe1\xba\xb3ng gi\xe1\xbb\x9bi</h1></body></html>"
    }
    path = tmp_path / "schools.yml"
    path.write_text(f"- name: Trường Trang\n  feed: {base}/trang/binh-dang-gioi/\n", encoding="utf-8")
    result = district.collect(path, TODAY, LIMITS, RULES, tmp_path / "log", False, NOW).schools[0]
    assert result.state is district.SchoolState.INVALID and result.word == "Nguồn tin không hợp lệ"
    assert "không phải nguồn tin RSS hay Atom" in (result.problem or "")
    assert "báo cáo" not in result.word.lower()


def test_one_schools_log_never_decides_another_schools_posts(base: str, tmp_path: Path) -> None:
    """A's log says its posts did not answer this morning; B's report lists the same addresses,
    which answer now: B's are asked, not failed on A's word."""
    report = sample_report(TODAY, site=f"{base}/chung/")
    paths = sorted(
        {
            "/" + post["url"].split("/", 3)[3]
            for quarter in report["quarters"]
            if quarter["quarter"][:4] in ("2025", "2026")
            for post in quarter["posts"]
        }
    )
    assert paths
    Portals.routes = {"/a.json": encode(report), "/b.json": encode(report)}  # the posts: 404
    path, logs = tmp_path / "schools.yml", tmp_path / "log"
    path.write_text(f"- name: Trường A\n  report: {base}/a.json\n", encoding="utf-8")
    morning = district.collect(path, TODAY, LIMITS, RULES, logs, True, NOW)
    assert morning.schools[0].failed_posts

    Portals.routes = {**Portals.routes, **dict.fromkeys(paths, b"<html>bai</html>")}  # answering now
    path.write_text(
        f"- name: Trường A\n  report: {base}/a.json\n- name: Trường B\n  report: {base}/b.json\n",
        encoding="utf-8",
    )
    later = district.collect(path, TODAY, LIMITS, RULES, logs, True, NOW + timedelta(hours=1))
    a, b = later.schools
    assert a.failed_posts  # its own log's answer of today stands for A
    assert not b.failed_posts and b.state is district.SchoolState.MISSING  # the sample misses 2023-Q3 only
    assert Quarter(2023, 3) in b.missing and len(b.missing) == 1


def test_a_report_with_half_a_character_is_refused_and_the_roll_up_goes_on(base: str, tmp_path: Path) -> None:
    report = sample_report(TODAY, site=f"{base}/hong/")
    report["quarters"][-1]["posts"].append(
        dict(report["quarters"][-1]["posts"][0], url=f"{base}/hong/\ud800/")
    )
    body = json.dumps(report, ensure_ascii=True).encode()  # "\ud800" escaped: valid JSON
    Portals.routes = {"/hong.json": body, "/tot.json": encode(sample_report(TODAY, site=f"{base}/tot/"))}
    path = tmp_path / "schools.yml"
    path.write_text(
        f"- name: Trường Hỏng\n  report: {base}/hong.json\n- name: Trường Tốt\n  report: {base}/tot.json\n",
        encoding="utf-8",
    )
    rollup = district.collect(path, TODAY, LIMITS, RULES, tmp_path / "log", True, NOW)
    hong, tot = rollup.schools
    assert hong.state is district.SchoolState.INVALID and "ký tự không hợp lệ" in (hong.problem or "")
    assert tot.state is not district.SchoolState.INVALID


def test_a_failed_first_night_does_not_start_the_evidence(base: str, tmp_path: Path) -> None:
    """The feed did not answer on the log's first night: the first complete read (20/10) is where
    what the district saw starts, so a post dated 15/9 that appears on 5/12 is still late."""
    link = "https://thdem.edu.vn/category/binh-dang-gioi"
    feed = "/dem/category/binh-dang-gioi/feed/"
    path = tmp_path / "schools.yml"
    path.write_text(f"- name: Trường Đêm\n  feed: {base}{feed}\n", encoding="utf-8")
    logs, rules = tmp_path / "log", district.Rules.of({}, Path("."))
    Portals.routes = {}  # 404: the first night fails
    district.collect(
        path, date(2026, 10, 19), LIMITS, rules, logs, True, datetime(2026, 10, 19, 9, tzinfo=TZ)
    )
    shown = [
        ("Tháng Mười", f"{link}/muoi/", "Mon, 05 Oct 2026 01:00:00 +0000"),
        ("Tháng Sáu", f"{link}/sau/", "Sat, 20 Jun 2026 01:00:00 +0000"),
    ]
    Portals.routes = {feed: wordpress_rss(shown)}
    district.collect(
        path, date(2026, 10, 20), LIMITS, rules, logs, True, datetime(2026, 10, 20, 9, tzinfo=TZ)
    )
    backdated = ("Ghi lùi ngày", f"{link}/lui/", "Tue, 15 Sep 2026 01:00:00 +0000")
    Portals.routes = {feed: wordpress_rss([shown[0], backdated, shown[1]])}
    later = district.collect(
        path, date(2026, 12, 5), LIMITS, rules, logs, True, datetime(2026, 12, 5, 9, tzinfo=TZ)
    )
    assert later.schools[0].verdict(Quarter(2026, 3)) == "late"


def test_long_school_names_that_differ_at_the_end_keep_logs_of_their_own(tmp_path: Path) -> None:
    base_name = "Trường Trung học cơ sở và Trung học phổ thông Nguyễn Bỉnh Khiêm thành phố Hải Dương cơ sở"
    one, two = (observations.log_path(tmp_path, f"{base_name} {n}") for n in (1, 2))
    assert one != two and len(one.name) < 100
    assert observations.log_path(tmp_path, "Trường Tiểu học Hoa Mai").name == "truong-tieu-hoc-hoa-mai.jsonl"
    path = tmp_path / "schools.yml"
    path.write_text(
        f"- {{name: {base_name} 1, report: a.json}}\n- {{name: {base_name} 2, report: b.json}}\n",
        encoding="utf-8",
    )
    assert [s.name for s in district.load_schools(path)] == [f"{base_name} 1", f"{base_name} 2"]
