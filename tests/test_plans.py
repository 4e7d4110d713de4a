"""Plan pages: facts through the schema and the chain between plans."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hooks.dates import zone
from hooks.plans import load_plans

HANOI = zone("Asia/Ho_Chi_Minh")


def write(docs: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = docs / "ke-hoach" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return docs


def test_chain_links_cited_plans_both_ways(tmp_path: Path) -> None:
    docs = write(
        tmp_path / "docs",
        {
            "so.md": "---\ntitle: Sở\nnumber: 3467/KH-SGDĐT\ndate: 4/11/2024\nissuer: Sở GD&ĐT\n---\n",
            "phong.md": "---\ntitle: Phòng\nnumber: 1477/KH-PGDĐT\ndate: 2024-11-05\nissuer: Phòng GD&ĐT\n"
            "follows:\n  - number: 3467/KH - SGDĐT\n  - 373/KH-UBND\n---\n",
            "truong.md": "---\ntitle: Trường\ndate: 2024-11-08\nissuer: Trường MN\n"
            "follows: [{number: 1477/KH-PGDĐT, date: 2024-11-05}]\n---\n",
        },
    )
    plans, problems = load_plans(docs, HANOI)
    assert problems == []
    assert [p.title for p in plans] == ["Trường", "Phòng", "Sở"]
    truong, phong, so = plans
    assert truong.follows[0].url == "ke-hoach/phong/"
    assert phong.follows[0].url == "ke-hoach/so/" and phong.follows[0].date == date(2024, 11, 4)
    assert phong.follows[1].url is None and phong.follows[1].number == "373/KH-UBND"
    assert [r.number for r in so.followed_by] == ["1477/KH-PGDĐT"]
    assert [r.number for r in phong.followed_by] == ["Trường"]
    assert phong.year == 2024


def test_bad_plan_is_named(tmp_path: Path) -> None:
    docs = write(
        tmp_path / "docs",
        {
            "sai.md": "---\ntitle: Kế hoạch\ndate: 2024-02-30\nissuer: X\n---\n",
            "thieu.md": "---\ntitle: Kế hoạch\ndate: 2024-02-03\n---\n",
        },
    )
    plans, problems = load_plans(docs, HANOI)
    assert plans == []
    messages = sorted(str(p) for p in problems)
    assert messages[0].startswith("docs/ke-hoach/sai.md: 'date'")
    assert messages[1].startswith("docs/ke-hoach/thieu.md: thiếu 'issuer'")
