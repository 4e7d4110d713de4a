"""The site's settings under ``extra:`` in mkdocs.yml, validated in pure code.

``extra.column``, ``extra.coverage`` and ``extra.district`` each go through one function
here, built from the same small validators, so that a typo (``per_pages``), a wrong
type or an impossible value is refused the same way everywhere: the message names the
key and says what is allowed. The build, the auditors' command and ``make post`` all
read the settings through these functions.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import mergedeep
import yaml

from .dates import DEFAULT_TIMEZONE, DateError, zone
from .dates import today as today_in
from .messages import os_reason, yaml_error
from .quarters import Quarter


class SettingsError(ValueError):
    """A bad value in mkdocs.yml; the message names the key and what is allowed."""


# --- small validators ---------------------------------------------------------------------------


def table(value: object, where: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
    """A settings table (None counts as empty) holding only ``keys``."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SettingsError(f"{where} phải là một bảng khóa ({', '.join(keys)})")
    unknown = sorted(str(key) for key in value if key not in keys)
    if unknown:
        raise SettingsError(
            f"{where}.{unknown[0]} không phải khóa hợp lệ; các khóa dùng được: {', '.join(sorted(keys))}"
        )
    return value


def integer(value: object, where: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        words = "số nguyên dương" if minimum == 1 else f"số nguyên từ {minimum} trở lên"
        raise SettingsError(f"{where} phải là {words}, không phải '{value}'")
    return value


def seconds(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise SettingsError(f"{where} phải là số giây lớn hơn 0, không phải '{value}'")
    return float(value)


def boolean(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(f"{where} phải là true hoặc false, không phải '{value}'")
    return value


def text(value: object, where: str, example: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"{where} phải là chữ, ví dụ {example}")
    return value.strip()


def quarter(value: object, where: str) -> Quarter:
    try:
        return Quarter.parse(str(value))
    except ValueError:
        raise SettingsError(f"{where} '{value}' phải có dạng YYYY-Qn, ví dụ 2023-Q1") from None


_DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})$")


def day_month(value: object, where: str) -> tuple[int, int]:
    """``15/11`` as (month, day): a day that exists every year."""
    match = _DAY_MONTH.match(str(value).strip()) if value is not None else None
    if match:
        day, month = int(match[1]), int(match[2])
        try:
            date(2023, month, day)  # a year without 29/2
            return (month, day)
        except ValueError:
            pass
    raise SettingsError(f"{where} '{value}' phải là ngày/tháng có thật mọi năm, ví dụ 15/11")


# A GitHub user (lan-nguyen) or team (truong-hoa-sen/bbt), with or without the @.
_HANDLE = re.compile(r"^@?([A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?(?:/[A-Za-z0-9][A-Za-z0-9._-]*)?)$")


def handles(value: object, where: str) -> tuple[str, ...]:
    """One GitHub handle or a list of them, without the @: a typo would notify a stranger."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise SettingsError(
            f"{where} phải là tên tài khoản GitHub hoặc danh sách tên, ví dụ [lan-nguyen, hieu-truong]"
        )
    found: list[str] = []
    for item in items:
        match = _HANDLE.match(item.strip()) if isinstance(item, str) else None
        if match is None:
            raise SettingsError(
                f"{where}: '{item}' không phải tên tài khoản GitHub (chữ không dấu, số và dấu -), ví dụ lan-nguyen"
            )
        if match[1] not in found:
            found.append(match[1])
    return tuple(found)


# --- extra.column -------------------------------------------------------------------------------

COLUMN_KEYS = ("posts_dir", "per_page", "timezone")


@dataclass(frozen=True)
class ColumnSettings:
    posts_dir: Path
    timezone: ZoneInfo
    per_page: int = 10


def column_settings(extra: Mapping[str, object], root: Path) -> ColumnSettings:
    """``extra.column``; the site's one time zone may also be given as ``extra.coverage.timezone``."""
    column = table(extra.get("column"), "extra.column", COLUMN_KEYS)
    coverage = extra.get("coverage")
    coverage_tz = coverage.get("timezone") if isinstance(coverage, Mapping) else None
    if column.get("timezone") and coverage_tz and column["timezone"] != coverage_tz:
        raise SettingsError(
            f"extra.coverage.timezone ({coverage_tz}) khác extra.column.timezone ({column['timezone']}); "
            "trang web chỉ dùng một múi giờ, hãy để hai giá trị giống nhau"
        )
    tz_name = text(
        column.get("timezone") or coverage_tz or DEFAULT_TIMEZONE, "extra.column.timezone", DEFAULT_TIMEZONE
    )
    try:
        tz = zone(tz_name)
    except DateError as exc:
        raise SettingsError(f"extra.column.timezone: {exc}") from None
    per_page = integer(column.get("per_page", 10), "extra.column.per_page", 1)
    posts_dir = text(column.get("posts_dir", "posts"), "extra.column.posts_dir", "posts")
    return ColumnSettings(posts_dir=(root / posts_dir).resolve(), timezone=tz, per_page=per_page)


# --- extra.coverage -----------------------------------------------------------------------------

COVERAGE_KEYS = (
    "start",
    "min_posts",
    "timezone",
    "excused",
    "observances",
    "action_month",
    "late_grace_days",
    "history_from",
    "remind_days",
)
OBSERVANCE_KEYS = ("name", "start", "end", "required", "excused")
ACTION_MONTH = "Tháng hành động vì bình đẳng giới"


@dataclass(frozen=True)
class Observance:
    """A dated period of the year that the column should mark, e.g. 15/11-15/12."""

    name: str
    start: tuple[int, int]  # (month, day)
    end: tuple[int, int]
    required: bool = True
    excused: Mapping[int, str] = field(default_factory=dict)

    def period(self, year: int) -> tuple[date, date]:
        return date(year, *self.start), date(year, *self.end)


@dataclass(frozen=True)
class CoverageSettings:
    start: Quarter | None  # None: from the oldest published post's quarter
    timezone: ZoneInfo
    min_posts: int = 1
    excused: Mapping[Quarter, str] = field(default_factory=dict)
    observances: tuple[Observance, ...] = ()
    late_grace_days: int = 7  # a post published this many days after its period still fills it
    history_from: Quarter | None = None  # first quarter judged by history; None: the first commit's
    remind_days: int = 21  # the nightly reminder opens an issue when this many days or fewer are left


def coverage_settings(extra: Mapping[str, Any], root: Path) -> CoverageSettings:
    """``extra.coverage``: the first audited quarter, posts needed, excuses, observances."""
    raw = table(extra.get("coverage"), "extra.coverage", COVERAGE_KEYS)
    tz = column_settings(extra, root).timezone
    start = quarter(raw["start"], "extra.coverage.start") if raw.get("start") is not None else None
    min_posts = integer(raw.get("min_posts", 1), "extra.coverage.min_posts", 1)
    excused_raw = raw.get("excused") or {}
    if not isinstance(excused_raw, Mapping):
        raise SettingsError('extra.coverage.excused phải có dạng  2024-Q3: "lý do"')
    excused: dict[Quarter, str] = {}
    for key, reason in excused_raw.items():
        excused_quarter = quarter(key, "extra.coverage.excused")
        if not isinstance(reason, str) or not reason.strip():
            raise SettingsError(
                f"extra.coverage.excused.{excused_quarter.key}: hãy ghi lý do được miễn (một câu chữ)"
            )
        excused[excused_quarter] = reason.strip()

    observances: list[Observance] = []
    if boolean(raw.get("action_month", True), "extra.coverage.action_month"):
        observances.append(Observance(ACTION_MONTH, (11, 15), (12, 15), required=True))
    extra_obs = raw.get("observances") or []
    if not isinstance(extra_obs, list):
        raise SettingsError(
            "extra.coverage.observances phải là danh sách, mỗi mục có name, start (ngày/tháng)"
        )
    for index, item in enumerate(extra_obs):
        observances.append(_observance(item, f"extra.coverage.observances[{index}]"))
    grace = integer(raw.get("late_grace_days", 7), "extra.coverage.late_grace_days", 0)
    history_from = (
        quarter(raw["history_from"], "extra.coverage.history_from")
        if raw.get("history_from") is not None
        else None
    )
    remind_days = integer(raw.get("remind_days", 21), "extra.coverage.remind_days", 1)
    return CoverageSettings(
        start, tz, min_posts, excused, tuple(observances), grace, history_from, remind_days=remind_days
    )


def _observance(item: object, where: str) -> Observance:
    if not isinstance(item, Mapping):
        raise SettingsError(f"{where} phải có dạng  - name: Ngày Quốc tế Phụ nữ  start: 8/3")
    item = table(item, where, OBSERVANCE_KEYS)
    name = text(item.get("name"), f"{where}.name", "Ngày Quốc tế Phụ nữ")
    start = day_month(item.get("start"), f"{where}.start")
    end = day_month(item.get("end", item.get("start")), f"{where}.end")
    if end < start:
        raise SettingsError(f"{where}: ngày kết thúc phải sau ngày bắt đầu, trong cùng một năm")
    required = boolean(item.get("required", False), f"{where}.required")
    excused_raw = item.get("excused") or {}
    if not isinstance(excused_raw, Mapping) or not all(
        isinstance(k, int) and isinstance(v, str) for k, v in excused_raw.items()
    ):
        raise SettingsError(f'{where}.excused phải có dạng  2024: "lý do"')
    return Observance(name, start, end, required, dict(excused_raw))


def check_audit_start(settings: CoverageSettings, as_of: date) -> None:
    """An audit must judge at least one quarter: a start after the as-of day would pass vacuously."""
    if settings.start is not None and settings.start.start > as_of:
        raise SettingsError(
            f"extra.coverage.start là {settings.start.key}, sau ngày kiểm tra {as_of.isoformat()}: "
            "không có quý nào để kiểm tra; hãy ghi quý chuyên mục bắt đầu, không muộn hơn quý hiện tại"
        )


# --- extra.school -------------------------------------------------------------------------------

SCHOOL_KEYS = (
    "name",
    "address",
    "phone",
    "email",
    "responsible",
    "portal",
    "logo",
    "share_image",
    "parent",
    "place",
    "reports_to",
    "principal",
)


@dataclass(frozen=True)
class SchoolSettings:
    """Whose column this is: shown in the site's header and footer and on the printed report."""

    name: str
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    responsible: str | None = None  # the person responsible for the column
    portal: str | None = None  # the school's main web portal
    logo: str | None = None  # an image under docs/, e.g. assets/logo.svg
    share_image: str | None = None  # under docs/: what Zalo and Facebook show for a page without a cover
    github: tuple[str, ...] = ()  # GitHub handles of the people responsible: the reminders mention them
    # The report as an administrative document (Nghị định 30/2020/NĐ-CP): its heading and sign-off.
    parent: str | None = None  # the governing body, e.g. UBND QUẬN THANH XUÂN
    place: str | None = None  # the place before the date, e.g. Thanh Xuân
    reports_to: str | None = None  # "Kính gửi:", e.g. Phòng Giáo dục và Đào tạo quận Thanh Xuân
    principal: str | None = None  # who signs: the name under HIỆU TRƯỞNG (TRƯỞNG PHÒNG for a district)


_SCHOOL_EXAMPLES = {
    "address": '"Số 1 đường Hoa Sen, phường Thanh Xuân, Hà Nội"',
    "phone": '"024 3858 0000" (trong ngoặc kép)',
    "email": "mnhoasen@hanoiedu.vn",
    "responsible": '"Cô Nguyễn Thị Lan, Phó Hiệu trưởng"',
    "portal": "https://mnhoasen.edu.vn/",
    "logo": "assets/logo.svg",
    "share_image": "assets/chia-se.png",
    "parent": '"UBND QUẬN THANH XUÂN"',
    "place": '"Thanh Xuân"',
    "reports_to": '"Phòng Giáo dục và Đào tạo quận Thanh Xuân"',
    "principal": '"Nguyễn Thị Mai"',
}


def school_settings(extra: Mapping[str, Any], site_name: str) -> SchoolSettings:
    """``extra.school``; without it the school is named after the site."""
    raw = table(extra.get("school"), "extra.school", (*SCHOOL_KEYS, "github"))
    name = text(raw.get("name", site_name), "extra.school.name", "Trường Mầm non Hoa Sen")
    values: dict[str, str | None] = {}
    for key in SCHOOL_KEYS[1:]:
        value = raw.get(key)
        values[key] = None if value is None else text(value, f"extra.school.{key}", _SCHOOL_EXAMPLES[key])
    portal = values["portal"]
    if portal is not None and not portal.startswith(("https://", "http://")):
        raise SettingsError(
            f"extra.school.portal '{portal}' phải là địa chỉ web đầy đủ, ví dụ https://mnhoasen.edu.vn/"
        )
    email = values["email"]
    if email is not None and "@" not in email:
        raise SettingsError(f"extra.school.email '{email}' không phải địa chỉ thư điện tử")
    github = handles(raw["github"], "extra.school.github") if raw.get("github") is not None else ()
    return SchoolSettings(name, **values, github=github)


# --- extra.district -----------------------------------------------------------------------------

DISTRICT_KEYS = ("schools", "timeout", "retries", "title", "start")
DEFAULT_SCHOOLS = "data/schools.yml"


@dataclass(frozen=True)
class DistrictSettings:
    schools: Path
    timeout: float = 10.0
    retries: int = 2
    title: str = "Tổng hợp chuyên mục các trường"
    # The first quarter judged for a school without a report whose entry names none (a feed or a
    # sitemap shows only so far back); None: from the oldest post the district has seen.
    start: Quarter | None = None


def district_settings(extra: Mapping[str, Any], root: Path) -> DistrictSettings | None:
    """``extra.district``, set only by a district office's site (None otherwise)."""
    if extra.get("district") is None:
        return None
    raw = table(extra["district"], "extra.district", DISTRICT_KEYS)
    schools = text(raw.get("schools", DEFAULT_SCHOOLS), "extra.district.schools", DEFAULT_SCHOOLS)
    title = raw.get("title")
    return DistrictSettings(
        schools=root / schools,
        timeout=seconds(raw.get("timeout", 10), "extra.district.timeout"),
        retries=integer(raw.get("retries", 2), "extra.district.retries", 0),
        title=text(title, "extra.district.title", "Tổng hợp chuyên mục các trường")
        if title is not None
        else DistrictSettings.title,
        start=quarter(raw["start"], "extra.district.start") if raw.get("start") is not None else None,
    )


# --- mkdocs.yml for the commands that run without MkDocs -------------------------------------------


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its Python tags (``!!python/name:`` and the like)."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``, read as MkDocs reads it (pyyaml_env_tag)."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        items = [loader.construct_object(child, deep=True) for child in node.value]
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
        for name in names:
            if isinstance(name, str) and name in os.environ:
                return os.environ[name]
        return default
    return None


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """A MkDocs config file as MkDocs reads it: ``INHERIT: mkdocs.yml`` (district.yml) merges the
    parent's tables under this file's, key by key (mergedeep, as MkDocs itself does)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506
    except OSError as exc:
        raise SettingsError(f"không đọc được {path} ({os_reason(exc)})") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: hãy lưu tệp với bảng mã UTF-8") from None
    except yaml.YAMLError as exc:
        raise SettingsError(f"{path} không phải YAML hợp lệ ({yaml_error(exc)})") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path} phải là các dòng 'khóa: giá trị'")
    inherit = data.pop("INHERIT", None)
    if inherit is None:
        return data
    if not isinstance(inherit, str) or not inherit.strip():
        raise SettingsError(f"{path}: INHERIT phải là tên một tệp cấu hình, ví dụ INHERIT: mkdocs.yml")
    parent = (path.parent / inherit).resolve()
    if parent in _seen or parent == path.resolve():
        raise SettingsError(f"{path}: INHERIT: {inherit} quay vòng lại chính nó")
    return mergedeep.merge(read_config(parent, (*_seen, path.resolve())), data)


def read_extra(path: Path) -> tuple[dict[str, Any], Mapping[str, Any], Path]:
    """mkdocs.yml, its ``extra`` table and its folder, as the auditors' and staff commands need."""
    config = read_config(path)
    extra = config.get("extra") or {}
    if not isinstance(extra, Mapping):
        raise SettingsError("extra phải là một bảng khóa")
    return config, extra, path.resolve().parent


def day_option(value: str | None, option: str, tz: ZoneInfo) -> date:
    """A command's ``--as-of``/``--date`` (YYYY-MM-DD), or today in the site zone."""
    if not value:
        return today_in(tz)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SettingsError(f"{option} '{value}' phải có dạng YYYY-MM-DD, ví dụ 2024-11-20") from None


def shown_path(path: Path, root: Path) -> str:
    """A path as staff see it: relative to the repository when it is inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
