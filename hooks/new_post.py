"""``make post TITLE="..."``: start a post with its front matter filled in.

The file is ``posts/YYYY/YYYY-MM-DD-slug.md``, dated today in the site zone, and
starts as a draft so that a half-written post never goes out by accident. It
never overwrites: an existing file, or another post with the same slug, stops it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from . import messages
from .dates import DateError
from .posts import load_catalog
from .settings import SettingsError, column_settings, day_option, read_extra, shown_path
from .slugs import slug as make_slug


class NewPostError(Exception):
    """Why no file was written; the message says what to do instead."""


def front_matter(title: str, day: date, tags: Sequence[str]) -> str:
    dumped_title = yaml.safe_dump({"title": title}, allow_unicode=True, width=10**6).strip()
    dumped_tags = yaml.safe_dump(list(tags), allow_unicode=True, default_flow_style=True, width=10**6).strip()
    return (
        "---\n"
        f"{dumped_title}\n"
        f"date: {day.isoformat()}\n"
        f"tags: {dumped_tags}  # ví dụ: [Bình đẳng giới, Tháng hành động]\n"
        "# summary: Một câu tóm tắt cho trang danh sách (bỏ trống thì lấy đoạn đầu của bài)\n"
        "# image: anh-bia.jpg\n"
        "draft: true  # xoá dòng này khi bài đã sẵn sàng đăng\n"
        "---\n\n"
        "Viết đoạn mở đầu ở đây: đoạn này hiện trên trang danh sách.\n\n"
        "## Nội dung\n\n"
        "Viết nội dung bài ở đây.\n"
    )


def create_post(
    posts_dir: Path, title: str, day: date, tz: ZoneInfo, tags: Sequence[str] = (), *, shown_as: str = "posts"
) -> Path:
    title = " ".join(title.split())
    if not title:
        raise NewPostError('chưa có tiêu đề; hãy viết: make post TITLE="Tiêu đề bài viết"')
    slug = make_slug(title)
    if not slug:
        raise NewPostError(f"tiêu đề '{title}' không có chữ hay số nào để làm địa chỉ bài; hãy thêm chữ")
    name = f"{day.isoformat()}-{slug}.md"
    path = posts_dir / str(day.year) / name
    shown = f"{shown_as}/{day.year}/{name}"
    if path.exists():
        raise NewPostError(f"{shown} đã có; không ghi đè. Hãy sửa tệp đó hoặc chọn tiêu đề khác")
    catalog = load_catalog(posts_dir, tz, day, shown_as=shown_as)
    for post in (*catalog.published, *catalog.drafts, *catalog.scheduled):
        if post.slug == slug:
            raise NewPostError(
                f"{post.path} đã dùng địa chỉ bai-viet/{slug}/; hãy chọn tiêu đề khác để hai bài không đè nhau"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(front_matter(title, day, tags))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    messages.vietnamese_argparse()
    parser = argparse.ArgumentParser(
        prog="python -m hooks.new_post", description="Tạo bài viết mới (bản nháp) trong thư mục posts/."
    )
    # make post TITLE="..." passes the title in the environment: a title with quotes in it
    # ("Hội thi "Gia đình em"") would not survive a shell command line.
    parser.add_argument("title", nargs="?", help="tiêu đề bài viết (hoặc biến môi trường TITLE)")
    parser.add_argument(
        "--date", metavar="NGÀY", help="ngày đăng YYYY-MM-DD (mặc định: hôm nay theo giờ của trang)"
    )
    parser.add_argument(
        "--tag", action="append", default=[], metavar="CHỦ_ĐỀ", help="chủ đề (có thể lặp lại)"
    )
    parser.add_argument(
        "--config", default="mkdocs.yml", metavar="TỆP", help="tệp cấu hình (mặc định mkdocs.yml)"
    )
    args = parser.parse_args(argv)
    title = args.title if args.title is not None else os.environ.get("TITLE", "")

    try:
        _, extra, root = read_extra(Path(args.config))
        settings = column_settings(extra, root)
        day = day_option(args.date, "--date", settings.timezone)
    except (SettingsError, DateError) as exc:
        print(f"Lỗi cấu hình: {exc}", file=sys.stderr)
        return 2
    shown_as = shown_path(settings.posts_dir, root)
    try:
        path = create_post(settings.posts_dir, title, day, settings.timezone, args.tag, shown_as=shown_as)
    except NewPostError as exc:
        print(f"Không tạo bài: {exc}", file=sys.stderr)
        return 1
    print(shown_path(path, Path.cwd()))
    print("Bài mới là bản nháp: viết xong thì xoá dòng 'draft: true' để đăng.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
