"""Evidence of when posts really appeared, for the audit: the repository's history, judged.

``history.py`` reads git; this module decides what the audit may conclude from it:
which quarters are judged by history (``extra.coverage.history_from``, by default the
quarter of the history's first commit; posts older than the repository keep their
declared dates), when each post counts as published, and what the report says about
the evidence. A shallow clone would make every post look published at the clone's one
commit: under GitHub Actions it is an error for the admin to fix, elsewhere no evidence.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .history import History, read_history
from .posts import is_draft_version
from .quarters import Quarter

# What the report says about its dates, in an auditor's words. The evidence is git's history,
# but a report never says so: "commit", "branch" or "repository" mean nothing to the district
# office. It is the site's own record of when each post went up ("nhật ký của trang").
PUBLISHED = "Ngày lên trang"
PUBLISHED_MEANS = (
    "ngày bài lần đầu xuất hiện trên trang, theo nhật ký của chính trang web: mỗi lần một bài được "
    "công bố, trang tự ghi lại ngày giờ. Ngày giờ ấy theo đồng hồ máy của người công bố bài, nên chỉ "
    "đáng tin khi nhà trường giao quyền đăng bài cho đúng người."
)
IMPORTED = "Đăng trước khi chuyên mục chuyển sang trang này"
UNCHECKED = "Chưa kiểm tra được ngày lên trang"
UNCHECKED_WHY = "lần dựng trang này không đọc được nhật ký của trang"

# For the school's web admin (the build log, the run's summary), who has to fix the checkout.
SHALLOW_IN_CI = (
    "kho mã được tải về không đủ lịch sử (shallow clone), nên không biết bài nào được đăng khi nào; "
    "trong .github/workflows/pages.yml, ở bước actions/checkout hãy thêm  with: fetch-depth: 0"
)
SHALLOW = "kho mã chỉ có một phần lịch sử (shallow clone), nên ngày đăng không đối chiếu được"


class EvidenceError(ValueError):
    """History that must not be used and must not be ignored (a shallow clone in CI)."""


@dataclass(frozen=True)
class Evidence:
    """What the audit knows of each post's publication."""

    published: Mapping[str, datetime] = field(default_factory=dict)  # post rel -> first published
    judged_from: Quarter | None = None  # first quarter judged by history; None: none is
    reason: str | None = None  # why there is none (Vietnamese, for the admin; reports say UNCHECKED_WHY)

    @property
    def available(self) -> bool:
        return self.reason is None

    def judges(self, quarter: Quarter) -> bool:
        return self.judged_from is not None and quarter >= self.judged_from

    @property
    def unchecked_note(self) -> str:
        """Why a period's posts have no day they reached the site: imported, or no record read."""
        return IMPORTED if self.available else UNCHECKED

    def published_on(self, rel: str, tz: ZoneInfo, as_of: date) -> date:
        """The day a post went public; one not yet in history goes public no earlier than ``as_of``."""
        when = self.published.get(rel)
        return when.astimezone(tz).date() if when is not None else as_of


NO_EVIDENCE = Evidence(reason="chưa đọc lịch sử của trang")


def judge_history(
    history: History, tz: ZoneInfo, history_from: Quarter | None, *, in_ci: bool
) -> tuple[Evidence, str | None]:
    """(the evidence, a warning to log or None); raises EvidenceError for a shallow clone in CI."""
    if history.shallow:
        if in_ci:
            raise EvidenceError(SHALLOW_IN_CI)
        return Evidence(reason=SHALLOW), SHALLOW
    if not history.available:
        return Evidence(reason=history.reason or "không đọc được lịch sử git"), None
    first = history_from
    if first is None and history.first_commit is not None:
        first = Quarter.of(history.first_commit.astimezone(tz).date())
    return Evidence(published=dict(history.published), judged_from=first), None


def gather(
    posts_dir: Path, tz: ZoneInfo, history_from: Quarter | None, environ: Mapping[str, str] | None = None
) -> tuple[Evidence, str | None]:
    """Read the site's history and judge it; under GitHub Actions a shallow clone is an error."""
    env = os.environ if environ is None else environ
    history = read_history(posts_dir, tz, is_draft_version)
    return judge_history(history, tz, history_from, in_ci=env.get("GITHUB_ACTIONS") == "true")
