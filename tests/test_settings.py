"""Settings under extra: in mkdocs.yml, each refused by name with what is allowed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hooks.quarters import Quarter
from hooks.settings import (
    DistrictSettings,
    SchoolSettings,
    SettingsError,
    check_audit_start,
    column_settings,
    coverage_settings,
    district_settings,
    read_extra,
    school_settings,
)


@pytest.mark.parametrize(
    ("extra", "phrases"),
    [
        ({"column": {"per_pages": 5}}, ["extra.column.per_pages", "per_page, posts_dir, timezone"]),
        ({"column": {"per_page": 0}}, ["extra.column.per_page", "số nguyên dương"]),
        ({"column": {"per_page": True}}, ["extra.column.per_page"]),
        ({"column": {"posts_dir": ""}}, ["extra.column.posts_dir"]),
        ({"column": {"timezone": "Asia/Hanoi_City"}}, ["extra.column.timezone", "Asia/Ho_Chi_Minh"]),
        ({"column": ["posts"]}, ["extra.column phải là một bảng khóa"]),
        (
            {"column": {"timezone": "Asia/Bangkok"}, "coverage": {"timezone": "Asia/Ho_Chi_Minh"}},
            ["extra.coverage.timezone", "extra.column.timezone"],
        ),
    ],
)
def test_bad_column_settings_name_the_key(extra: dict, phrases: list[str], tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        column_settings(extra, tmp_path)
    for phrase in phrases:
        assert phrase in str(caught.value)


def test_column_defaults(tmp_path: Path) -> None:
    settings = column_settings({}, tmp_path)
    assert settings.posts_dir == (tmp_path / "posts").resolve()
    assert settings.per_page == 10 and settings.timezone.key == "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize(
    ("district", "phrase"),
    [
        ({"school": "x.yml"}, "extra.district.school không phải khóa hợp lệ"),
        ({"timeout": 0}, "extra.district.timeout"),
        ({"timeout": "10"}, "extra.district.timeout"),
        ({"retries": -1}, "extra.district.retries"),
        ({"retries": 1.5}, "extra.district.retries"),
        ({"schools": ""}, "extra.district.schools"),
        ({"start": "2025-Q5"}, "extra.district.start"),
        ("data/schools.yml", "extra.district phải là một bảng khóa"),
    ],
)
def test_bad_district_settings_name_the_key(district: object, phrase: str, tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        district_settings({"district": district}, tmp_path)
    assert phrase in str(caught.value)


def test_district_settings_are_off_for_a_school_and_have_defaults(tmp_path: Path) -> None:
    assert district_settings({}, tmp_path) is None
    assert district_settings({"district": {}}, tmp_path) == DistrictSettings(tmp_path / "data/schools.yml")
    settings = district_settings({"district": {"timeout": 2.5, "retries": 0, "title": " Quận "}}, tmp_path)
    assert settings is not None and (settings.timeout, settings.retries, settings.title) == (2.5, 0, "Quận")


def test_an_observance_with_an_unknown_key_is_refused(tmp_path: Path) -> None:
    coverage = {"observances": [{"name": "8/3", "start": "8/3", "requried": True}]}
    with pytest.raises(SettingsError, match=r"observances\[0\]\.requried"):
        coverage_settings({"coverage": coverage}, tmp_path)


@pytest.mark.parametrize(
    ("start", "as_of", "refused"),
    [
        ("2026-Q4", date(2026, 11, 24), False),
        ("2026-Q4", date(2026, 10, 1), False),  # the quarter's first day: one quarter to judge
        ("2026-Q4", date(2026, 9, 30), True),
        ("2027-Q1", date(2026, 11, 24), True),
    ],
)
def test_a_start_after_the_audit_day_is_refused(
    start: str, as_of: date, refused: bool, tmp_path: Path
) -> None:
    settings = coverage_settings({"coverage": {"start": start}}, tmp_path)
    assert settings.start == Quarter.parse(start)
    if refused:
        with pytest.raises(SettingsError, match=f"extra.coverage.start là {start}"):
            check_audit_start(settings, as_of)
    else:
        check_audit_start(settings, as_of)


@pytest.mark.parametrize(
    ("school", "phrase"),
    [
        ({"phone": 2438580000}, "extra.school.phone phải là chữ"),
        ({"portal": "mnhoasen.edu.vn"}, "extra.school.portal"),
        ({"email": "mnhoasen.edu.vn"}, "extra.school.email"),
        ({"hieu_truong": "x"}, "extra.school.hieu_truong không phải khóa hợp lệ"),
        ({"name": ""}, "extra.school.name"),
    ],
)
def test_bad_school_settings_name_the_key(school: dict, phrase: str) -> None:
    with pytest.raises(SettingsError) as caught:
        school_settings({"school": school}, "Trang")
    assert phrase in str(caught.value)


def test_school_defaults_to_the_site_name() -> None:
    assert school_settings({}, "Chuyên mục") == SchoolSettings("Chuyên mục")
    full = school_settings({"school": {"name": "Trường A", "phone": "024 1", "portal": "https://a.vn/"}}, "x")
    assert (full.name, full.phone, full.portal) == ("Trường A", "024 1", "https://a.vn/")


@pytest.mark.parametrize(
    ("coverage", "phrase"),
    [
        ({"late_grace_days": -1}, "extra.coverage.late_grace_days"),
        ({"late_grace_days": "7"}, "extra.coverage.late_grace_days"),
        ({"history_from": "2026-4"}, "extra.coverage.history_from"),
    ],
)
def test_bad_history_settings_name_the_key(coverage: dict, phrase: str, tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=phrase):
        coverage_settings({"coverage": coverage}, tmp_path)


def test_history_settings(tmp_path: Path) -> None:
    default = coverage_settings({}, tmp_path)
    assert (default.late_grace_days, default.history_from) == (7, None)
    set_ = coverage_settings({"coverage": {"late_grace_days": 0, "history_from": "2026-Q4"}}, tmp_path)
    assert (set_.late_grace_days, set_.history_from) == (0, Quarter(2026, 4))


def test_a_config_that_inherits_is_read_as_mkdocs_reads_it(tmp_path: Path) -> None:
    """district.yml says INHERIT: mkdocs.yml: the commands see the merged tables, as the build does."""
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Trường\nextra:\n  coverage:\n    late_grace_days: 3\n  school:\n    name: Trường A\n",
        encoding="utf-8",
    )
    (tmp_path / "district.yml").write_text(
        "INHERIT: mkdocs.yml\nsite_name: Phòng\nextra:\n  school:\n    name: Phòng B\n"
        "  district:\n    start: 2025-Q2\n",
        encoding="utf-8",
    )
    config, extra, root = read_extra(tmp_path / "district.yml")
    assert config["site_name"] == "Phòng" and "INHERIT" not in config
    assert extra["school"] == {"name": "Phòng B"} and extra["coverage"] == {"late_grace_days": 3}
    district = district_settings(extra, root)
    assert district is not None and district.start == Quarter(2025, 2)

    from hooks.district import Rules

    assert Rules.of(extra, root).start == Quarter(2025, 2)
    assert Rules.of(extra, root).late_grace_days == 3  # from the parent
    assert Rules.of(extra, root, Quarter(2024, 4)).start == Quarter(2024, 4)  # --start comes first


def test_an_inheritance_loop_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("INHERIT: b.yml\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text("INHERIT: a.yml\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="quay vòng"):
        read_extra(tmp_path / "a.yml")


def test_a_config_not_saved_as_utf8_is_said_so(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_bytes(b"site_name: Tr\xfa\xf4ng\n")  # a Windows code page, not UTF-8
    with pytest.raises(SettingsError, match="hãy lưu tệp với bảng mã UTF-8"):
        read_extra(tmp_path / "mkdocs.yml")
