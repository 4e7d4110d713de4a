"""MkDocs glue for the district roll-up page, on when ``extra.district`` is set.

A district office's site (``district.yml`` in this repository) sets it; a school's site
doesn't, and this hook then does nothing. Reports are fetched once per build; a school
that can't be read is shown on the page and logged, and never stops the build.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import get_plugin_logger  # noqa: E402
from mkdocs.structure.files import Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from hooks import dates, generated, listings  # noqa: E402
from hooks.settings import SettingsError, column_settings  # noqa: E402

# hooks.district (and httpx under it) is imported only by a site that sets extra.district:
# a school's build should not pay for the district's HTTP client.

log = get_plugin_logger("district")

ROOT = "tong-hop"
PAGE = f"{ROOT}/index.md"
KEYS = {"schools", "timeout", "retries", "title"}
_state: dict[str, object] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state.clear()
    raw = config.extra.get("district")
    if raw is None:
        return config
    if not isinstance(raw, Mapping):
        raise PluginError(
            "mkdocs.yml: extra.district phải là một bảng khóa (schools, timeout, retries, title)"
        )
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise PluginError(
            f"mkdocs.yml: extra.district.{unknown[0]} không phải khóa hợp lệ; dùng: {', '.join(sorted(KEYS))}"
        )
    from hooks import district
    from hooks.fetch import FetchLimits

    root = Path(config.config_file_path or ".").resolve().parent
    schools = raw.get("schools", district.DEFAULT_SCHOOLS)
    timeout, retries = raw.get("timeout", 10), raw.get("retries", 2)
    if not isinstance(schools, str) or not schools.strip():
        raise PluginError("mkdocs.yml: extra.district.schools phải là đường dẫn tệp, ví dụ data/schools.yml")
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise PluginError(
            f"mkdocs.yml: extra.district.timeout phải là số giây lớn hơn 0, không phải '{timeout}'"
        )
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise PluginError(
            f"mkdocs.yml: extra.district.retries phải là số nguyên không âm, không phải '{retries}'"
        )
    try:
        tz = column_settings(config.extra, root).timezone
    except SettingsError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    _state.update(
        schools=root / schools,
        limits=FetchLimits(timeout=float(timeout), retries=retries),
        title=str(raw.get("title") or "Tổng hợp chuyên mục các trường"),
        tz=tz,
    )
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if not _state:
        return files
    from hooks import district

    try:
        today = dates.today(_state["tz"])  # type: ignore[arg-type]
        rollup = district.collect(_state["schools"], today, _state["limits"])  # type: ignore[arg-type]
    except (district.SchoolsError, dates.DateError) as exc:
        raise PluginError(str(exc)) from None
    _state["rollup"] = rollup
    for result in rollup.schools:
        if result.state in ("unreachable", "invalid"):
            log.warning(
                f"{result.school.name}: {result.word.lower()} ({result.problem}) từ {result.school.report}"
            )
        else:
            log.info(f"{result.school.name}: {result.word.lower()}")
    generated.add_page_and_data(
        files,
        config,
        (PAGE, listings.page_source(_state["title"], "district.html")),  # type: ignore[arg-type]
        {
            f"{ROOT}/district.json": district.json_text(rollup),
            f"{ROOT}/district.csv": district.csv_text(rollup),
        },
        "trang tổng hợp",
    )
    return files


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    if _state.get("rollup") is not None and page.file.src_uri == PAGE:
        from hooks import district

        rollup: district.RollUp = _state["rollup"]  # type: ignore[assignment]
        context["rollup"] = rollup
        context["as_of_day"] = dates.format_day(rollup.as_of)
        context["states"] = [
            (state, district.STATE_WORDS[state], rollup.count(state)) for state in district.STATES
        ]
    return context
