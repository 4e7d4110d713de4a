"""Deterministic column posts for the benchmarks: N posts over 8 years, about 400 words each.

Each post has Vietnamese prose, two headings, a list, a table, 1-3 tags from a fixed set
and a date; the same seed gives the same files, so every tool builds the same text.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

WORDS = (
    "bình đẳng giới gia đình phụ nữ trẻ em nhà trường giáo viên học sinh cha mẹ "
    "tuyên truyền hoạt động phòng chống bạo lực xâm hại kỹ năng sống tôn trọng chia sẻ "
    "công việc nhà yêu thương an toàn trách nhiệm cộng đồng lớp học sinh hoạt chủ đề "
    "kế hoạch tháng hành động hưởng ứng tập huấn lồng ghép định kiến nghề nghiệp tương lai "
    "ngày hội vui chơi sáng tạo đoàn thể công đoàn chi bộ thầy cô các em mỗi người cùng nhau"
).split()
TAGS = [
    "Bình đẳng giới",
    "Gia đình",
    "Tháng hành động",
    "Phòng chống bạo lực",
    "Kỹ năng sống",
    "Lồng ghép giới",
    "Ngày Quốc tế Phụ nữ",
    "Ngày Phụ nữ Việt Nam",
    "Tập huấn",
    "Hướng nghiệp",
    "Lãnh đạo nữ",
    "Ngày Gia đình Việt Nam",
    "Cha mẹ",
    "Học sinh",
    "Giáo viên",
    "Công đoàn",
    "An toàn trường học",
    "Sức khoẻ",
    "Ngoại khoá",
    "Truyền thông",
]
FIRST = date(2018, 11, 21)
DAYS = 2922  # 8 years: the newest post is dated by 20/11/2026, before the benchmark's "today"


def sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, words: int) -> str:
    out, total = [], 0
    while total < words:
        length = rng.randint(8, 18)
        out.append(sentence(rng, length))
        total += length
    return " ".join(out)


def post_text(rng: random.Random, number: int, day: date) -> tuple[str, str]:
    """The file name and text of post ``number``; titles are unique, so slugs never clash."""
    title = f"{sentence(rng, rng.randint(4, 8))[:-1]} số {number}"
    tags = rng.sample(TAGS, rng.randint(1, 3))
    body = [
        paragraph(rng, 60),
        "",
        f"## {sentence(rng, 4)[:-1]}",
        "",
        paragraph(rng, 110),
        "",
        *[f"- {sentence(rng, rng.randint(5, 9))}" for _ in range(4)],
        "",
        f"## {sentence(rng, 3)[:-1]}",
        "",
        paragraph(rng, 110),
        "",
        "| Hoạt động | Số người | Ghi chú |",
        "|---|---:|---|",
        *[
            f"| {sentence(rng, 3)[:-1]} | {rng.randint(10, 400)} | {sentence(rng, 4)[:-1]} |"
            for _ in range(3)
        ],
        "",
        paragraph(rng, 60),
    ]
    tag_list = ", ".join(tags)
    text = (
        f"---\ntitle: {title}\ndate: {day.isoformat()}\ntags: [{tag_list}]\n---\n\n" + "\n".join(body) + "\n"
    )
    return f"{day.year}/{day.isoformat()}-bai-{number:05}.md", text


def write_posts(folder: Path, count: int, seed: int = 2026) -> list[Path]:
    """``count`` posts spread evenly over 8 years, none after 20/11/2026."""
    rng = random.Random(seed)
    paths = []
    for number in range(count):
        day = FIRST + timedelta(days=(number * DAYS) // max(count, 1))
        name, text = post_text(rng, number, day)
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
