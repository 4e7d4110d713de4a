"""What a pull request does to what is already published: a published post's photo or document
replaced or deleted, said in the run's summary so that the approver sees it before merging.

Every post of a year may share its folder with the others (``posts/2026/``), and GitHub's web
upload replaces a file of the same name without a word: post B's ``phone-photo.jpg`` would
become post A's picture. The build cannot tell (both files are fine); the pull request's diff
can. For each file under posts/ that the branch modifies, deletes or renames away, the posts
published at the base that use it are named.

    python -m hooks.changes --base origin/main   # Markdown for $GITHUB_STEP_SUMMARY

Exit status 0 always: this informs the approver, it does not judge.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from . import messages
from .dates import DateError, today
from .front_matter import FileError, read_front_matter
from .history import git_environment
from .posts import POST_SUFFIX, files_used, post_from_meta
from .settings import SettingsError, column_settings, read_extra, shown_path

KINDS = {"M": "thay nội dung", "D": "xoá", "R": "đổi tên"}


@dataclass(frozen=True)
class Change:
    path: str  # repository-relative, as staff see it: posts/2026/anh.jpg
    kind: str  # a key of KINDS
    users: tuple[str, ...]  # posts published at the base that use the file, as staff see them


def changes(root: Path, posts_dir: Path, base: str, tz: ZoneInfo, day: date) -> list[Change]:
    """Files under ``posts_dir`` that HEAD changes against its merge base with ``base``, and which
    post published at that base (dated ``day`` or earlier, not a draft) uses each."""
    shown = shown_path(posts_dir, root)
    diff = _git(root, ["diff", "--name-status", "-z", "--no-renames", f"{base}...HEAD", "--", shown])
    fields = diff.decode().split("\0")
    touched = [(fields[i][:1], fields[i + 1]) for i in range(0, len(fields) - 1, 2)]
    touched = [(kind, path) for kind, path in touched if kind in KINDS and not path.endswith(POST_SUFFIX)]
    if not touched:
        return []
    merge_base = _git(root, ["merge-base", base, "HEAD"]).decode().strip()
    users = _users_at(root, shown, merge_base, tz, day)
    return [Change(path, kind, tuple(sorted(users.get(path, ())))) for kind, path in touched]


def _users_at(root: Path, shown: str, commit: str, tz: ZoneInfo, day: date) -> dict[str, set[str]]:
    """Repository path of a file -> the posts published at ``commit`` that use it (cover, attachment,
    link or picture in the body), read in one ``git cat-file --batch``."""
    listing = _git(root, ["ls-tree", "-r", "-z", "--name-only", commit, "--", shown]).decode()
    paths = [p for p in listing.split("\0") if p.endswith(POST_SUFFIX)]
    batch = _git(root, ["cat-file", "--batch"], "".join(f"{commit}:{p}\n" for p in paths).encode())
    used: dict[str, set[str]] = {}
    at = 0
    for path in paths:
        header_end = batch.index(b"\n", at)
        size = int(batch[at:header_end].split()[2])
        raw = batch[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1
        rel = path.removeprefix(f"{shown}/")
        try:
            meta, body, _ = read_front_matter(raw, path)
            post, _ = post_from_meta(meta, body, rel, path, tz)
        except FileError:
            continue  # a post the base could not publish either
        if post.draft or post.day > day:
            continue
        for rel in files_used(post):
            used.setdefault(f"{shown}/{rel}", set()).add(path)
    return used


def _git(root: Path, args: list[str], stdin: bytes | None = None) -> bytes:
    done = subprocess.run(
        ["git", "-c", "core.quotePath=false", *args],
        cwd=root,
        input=stdin,
        capture_output=True,
        env=git_environment(),
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode(errors="replace").strip() or f"git {args[0]}")
    return done.stdout


def markdown(found: list[Change]) -> str:
    """The run summary's section, in Vietnamese."""
    lines = ["## Yêu cầu này thay đổi tệp của bài đã đăng", ""]
    shared = [c for c in found if c.users]
    if not shared:
        return ""
    lines.append(
        "Các tệp dưới đây đang được bài đã đăng dùng. Nếu yêu cầu này chỉ thêm một bài mới, có thể ảnh "
        "của bài mới trùng tên với ảnh cũ và đã **ghi đè** lên nó: hãy đổi tên ảnh mới rồi tải lên lại."
    )
    lines.append("")
    for change in shared:
        lines.append(
            f"- `{change.path}` ({KINDS[change.kind]}): đang dùng trong "
            + ", ".join(f"`{user}`" for user in change.users)
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    messages.vietnamese_argparse()
    parser = argparse.ArgumentParser(
        prog="python -m hooks.changes",
        description="Tệp của bài đã đăng mà một yêu cầu thay đổi (pull request).",
    )
    parser.add_argument("--base", required=True, help="nhánh gốc, ví dụ origin/main")
    parser.add_argument(
        "--config", default="mkdocs.yml", metavar="TỆP", help="tệp cấu hình (mặc định mkdocs.yml)"
    )
    args = parser.parse_args(argv)
    try:
        _, extra, root = read_extra(Path(args.config))
        settings = column_settings(extra, root)
        found = changes(root, settings.posts_dir, args.base, settings.timezone, today(settings.timezone))
    except (SettingsError, DateError, RuntimeError) as exc:
        print(f"Không so được với nhánh {args.base}: {exc}", file=sys.stderr)
        return 0
    sys.stdout.write(markdown(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
