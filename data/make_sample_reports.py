"""Writes data/reports/*.json: five schools' coverage.json made from this repository's sample posts.

The sample district (data/schools.yml) shows every state a roll-up can meet, from real
audits of the sample content, not hand-written JSON:

- Hoa Sen: the sample as it is (2023-Q3 has no post: missing);
- Kim Đồng: the sample plus a post in 2023-Q3 (every quarter ok);
- Lê Quý Đôn: the sample with 2023-Q3 excused (ok);
- Sao Mai: Kim Đồng's posts, but its site was last built on 15/6/2026 (stale), by a version
  of this project that wrote schema 1 (the roll-up reads both);
- Hoà Bình: Kim Đồng's posts without the 2025 Action Month post: every quarter has a post,
  but the required Action Month of 2025 has none (missing);
- Nguyễn Trãi: no report published at all (unreachable), so nothing is written for it;
- Hoa Mai: no report, a NukeViet portal: its category feed (the 12 newest sample posts: a real
  one shows 30, more than the sample has, so that older quarters show "Không đủ dữ liệu"; with
  NukeViet 4.4's month-in-minutes pubDate), ``hoa-mai-rss.xml``;
- Sao Khuê: no report, a NukeViet portal read through its news sitemap (every sample post and
  two of another category, lastmod the publish time), ``sao-khue-sitemap.xml``.

Run `python data/make_sample_reports.py` from the repository root after changing the sample
posts; tests/test_district.py checks that the files match what this writes.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hooks.coverage import Report, audit  # noqa: E402
from hooks.coverage_json import dumps as json_text  # noqa: E402
from hooks.coverage_json import to_json  # noqa: E402
from hooks.posts import Post, load_catalog  # noqa: E402
from hooks.quarters import Quarter  # noqa: E402
from hooks.settings import coverage_settings, read_config  # noqa: E402

AS_OF = date(2026, 11, 23)
REPORTS = ROOT / "data" / "reports"
ACTION_MONTH_2025 = "2025/2025-11-25-thang-hanh-dong-2025.md"


def schema_1(report: Report, site_url: str) -> str:
    """The same audit as a site built before schema 2 wrote it: no evidence, no late, no complete."""
    data = to_json(report, site_url)
    data["schema_version"] = 1
    for key in ("late_grace_days", "history", "complete", "missing_observances"):
        del data[key]
    for item in [*data["quarters"], *data["observances"]]:
        del item["on_time"], item["checked"]
        for post in item.get("posts", []):
            del post["published_at"], post["late"]
    for item in data["observances"]:
        del item["posts"]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def reports() -> dict[str, str]:
    config = read_config(ROOT / "mkdocs.yml")
    settings = coverage_settings(config["extra"], ROOT)
    tz = settings.timezone

    def published(as_of: date) -> list[Post]:
        return load_catalog(ROOT / "posts", tz, as_of).published

    extra_post = Post(
        path="posts/2023/2023-08-20-he-vui-khoe.md",
        rel="2023/2023-08-20-he-vui-khoe.md",
        title="Hè vui khoẻ, an toàn cho trẻ",
        date=datetime(2023, 8, 20, tzinfo=tz),
        slug="he-vui-khoe-an-toan-cho-tre",
    )
    excused = dataclasses.replace(
        settings, excused={Quarter.parse("2023-Q3"): "Trường xây mới, trang web tạm dừng"}
    )
    stale_day = date(2026, 6, 15)

    def site(name: str) -> str:
        return f"https://{name}.example.edu.vn/"

    def with_extra(as_of: date) -> list[Post]:
        return sorted([*published(as_of), extra_post], key=lambda p: p.date, reverse=True)

    no_action_month_2025 = [p for p in with_extra(AS_OF) if p.rel != ACTION_MONTH_2025]
    assert len(no_action_month_2025) == len(with_extra(AS_OF)) - 1, ACTION_MONTH_2025
    feed_posts = sorted(published(AS_OF), key=lambda p: p.date, reverse=True)
    return {
        "hoa-mai-rss.xml": nukeviet_feed(feed_posts[:12], "https://thhoamai.edu.vn"),
        "sao-khue-sitemap.xml": nukeviet_sitemap(feed_posts, "https://thcssaokhue.edu.vn"),
        "hoa-sen.json": json_text(audit(published(AS_OF), settings, AS_OF), site("mnhoasen")),
        "kim-dong.json": json_text(audit(with_extra(AS_OF), settings, AS_OF), site("thkimdong")),
        "le-quy-don.json": json_text(audit(published(AS_OF), excused, AS_OF), site("thcslequydon")),
        "sao-mai.json": schema_1(audit(with_extra(stale_day), settings, stale_day), site("mnsaomai")),
        "hoa-binh.json": json_text(audit(no_action_month_2025, settings, AS_OF), site("thhoabinh")),
    }


def nukeviet_feed(posts: list[Post], host: str) -> str:
    """A NukeViet 4 category feed: gmdate('D, j M Y H:m:s') . ' GMT', the month where the minutes go."""
    items = []
    for n, post in enumerate(posts):
        moment = post.date.astimezone(UTC)
        stamp = (
            moment.strftime("%a, ") + f"{moment.day} " + moment.strftime("%b %Y %H:") + f"{moment.month:02d}"
        )
        items.append(
            f"<item><title><![CDATA[{post.title}]]></title>"
            f"<link>{host}/vi/news/binh-dang-gioi/{post.slug}-{n + 1}.html</link>"
            f'<guid isPermaLink="false">news_{n + 1}</guid>'
            f"<pubDate>{stamp}{moment.strftime(':%S')} GMT</pubDate></item>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        f"<channel>\n<title>Trường Tiểu học Hoa Mai - Bình đẳng giới</title><link>{host}/</link>\n"
        "<language>vi</language><generator>NukeViet v4.0</generator>\n"
        + "".join(items)
        + "</channel>\n</rss>\n"
    )


def nukeviet_sitemap(posts: list[Post], host: str) -> str:
    """NukeViet's news sitemap: every post of the module, lastmod = date('c', publtime)."""
    rows = [
        (f"{host}/vi/news/binh-dang-gioi/{p.slug}.html", p.date.isoformat(timespec="seconds")) for p in posts
    ] + [
        (f"{host}/vi/news/thong-bao/le-khai-giang-{y}.html", f"{y}-09-05T08:00:00+07:00")
        for y in (2025, 2026)
    ]
    urls = "".join(
        f"<url><loc>{loc}</loc><lastmod>{mod}</lastmod><changefreq>daily</changefreq></url>\n"
        for loc, mod in rows
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n"
    )


def main() -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    for name, text in reports().items():
        (REPORTS / name).write_text(text, encoding="utf-8")
        print(f"data/reports/{name}")


if __name__ == "__main__":
    main()
