from __future__ import annotations

import pytest

from hooks.slugs import anchor, slug


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Đẩy mạnh bình đẳng giới", "day-manh-binh-dang-gioi"),
        ("Tuần lễ Đổi mới", "tuan-le-doi-moi"),
        ("Ngày Gia đình Việt Nam 28/6", "ngay-gia-dinh-viet-nam-28-6"),
        ("ĐOÀN KẾT, BÌNH ĐẲNG!", "doan-ket-binh-dang"),
        ("Phụ nữ & trẻ em: quyền được bảo vệ", "phu-nu-tre-em-quyen-duoc-bao-ve"),
    ],
)
def test_slug_transliterates_vietnamese(title: str, expected: str) -> None:
    assert slug(title) == expected


def test_anchor_keeps_d_and_uses_separator() -> None:
    assert anchor("Tuần lễ Đổi mới", "-") == "tuan-le-doi-moi"
    assert anchor("Tuần lễ Đổi mới", "_") == "tuan_le_doi_moi"
