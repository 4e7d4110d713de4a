"""Front matter: split a Markdown file into its YAML metadata and body, and say what is wrong.

Posts and plan pages are both Markdown files with front matter, read here the same way:
a fast path for the plain front matter almost every post has, PyYAML for the rest,
dates left as text (one parser reads them, day first), and every mistake a
:class:`Problem` that names the file and the line. Also the folder walk both use.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from .messages import yaml_problem

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FrontMatterLoader(_BaseLoader):
    """Safe YAML that leaves dates as text, so that one parser reads them all (day first)."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_HANDLER = YAMLHandler()

# Fast path for the front matter almost every post has: one `key: value` a line, values that
# are plain words or [a, b] lists of them. Anything else (quotes, colons, comments, nesting,
# numbers...) goes to PyYAML. The words allowed can't be read by YAML as anything but text,
# except YAML 1.1's booleans and null, mapped as PyYAML maps them; tests/test_posts.py checks
# the fast path against PyYAML.
_KEY_LINE = re.compile(r"([a-z_]+): (.+)")
_PLAIN = re.compile(r"[^\W\d_][^:#'\"\[\]{},&*!|>%@`\\\t]*", re.UNICODE)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_WORDS: dict[str, object] = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("null", "Null", "NULL"), None),
}


def _plain(text: str) -> object:
    """The value of a plain YAML word, or the _NOT_SIMPLE marker."""
    if text in _WORDS:
        return _WORDS[text]
    if _PLAIN.fullmatch(text) and text == text.strip() and text.isprintable():
        return text
    return _NOT_SIMPLE


_NOT_SIMPLE = object()


def simple_front_matter(fm: str) -> dict[str, Any] | None:
    """Read front matter without PyYAML when it is that simple, else None."""
    meta: dict[str, Any] = {}
    for line in fm.splitlines():
        line = line.rstrip(" ")
        if not line:
            continue
        match = _KEY_LINE.fullmatch(line)
        if match is None:
            return None
        key, raw = match.groups()
        if raw.startswith("[") and raw.endswith("]"):
            inner = raw[1:-1].strip(" ")  # YAML's blanks are spaces (tabs: not simple); not NBSP
            items = [_plain(item.strip(" ")) for item in inner.split(",")] if inner else []
            if any(item is _NOT_SIMPLE or not isinstance(item, str) for item in items):
                return None
            meta[key] = items
        elif _ISO_DAY.fullmatch(raw):
            meta[key] = raw  # text: the loader has no timestamp resolver
        else:
            value = _plain(raw)
            if value is _NOT_SIMPLE:
                return None
            meta[key] = value
    return meta


@dataclass(frozen=True)
class Problem:
    """Something wrong with one file, said so that staff can fix it."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class FileError(Exception):
    """A file that can't be used as it is; carries the :class:`Problem` to show staff."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def walk(root: Path) -> list[str]:
    """Every file below ``root`` as a sorted "/"-path, hidden ones included."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs.sort()
        base = Path(folder).relative_to(root).as_posix()
        found.extend(name if base == "." else f"{base}/{name}" for name in files)
    return sorted(found)


def is_hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def read_front_matter(raw: bytes, shown: str) -> tuple[dict[str, Any], str, int]:
    """Split a post into (metadata, Markdown body, line where the body starts)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileError(
            Problem(shown, "tệp không phải văn bản UTF-8; hãy lưu lại tệp với bảng mã UTF-8", line)
        ) from None
    stripped = text.lstrip()
    skipped = text[: len(text) - len(stripped)].count("\n")
    if not _HANDLER.detect(stripped):
        raise FileError(
            Problem(
                shown,
                "thiếu phần đầu bài (front matter); dòng đầu tiên phải là '---', "
                "sau đó 'title: ...' và 'date: ...', rồi một dòng '---'",
                1,
            )
        )
    try:
        fm, body = _HANDLER.split(stripped)
    except ValueError:
        raise FileError(
            Problem(shown, "phần đầu bài mở bằng '---' nhưng không có dòng '---' đóng lại", 1)
        ) from None
    # The file line that holds fm[0]; YAML marks count lines from there.
    fm_line = skipped + stripped[: stripped.index(fm)].count("\n") + 1 if fm else skipped + 2
    first_line = fm_line + fm[: len(fm) - len(fm.lstrip())].count("\n")
    try:
        meta = simple_front_matter(fm)
        if meta is None:
            meta = yaml.load(fm, Loader=_FrontMatterLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = fm_line + mark.line if mark else None
        reason = yaml_problem(exc.problem)
        raise FileError(
            Problem(
                shown,
                f"phần đầu bài không phải YAML hợp lệ ({reason}); mỗi dòng phải có dạng "
                "'khóa: giá trị', và giá trị chứa dấu ':' hay '#' phải đặt trong ngoặc kép",
                at,
            )
        ) from None
    except yaml.YAMLError:
        raise FileError(Problem(shown, "phần đầu bài không phải YAML hợp lệ (cú pháp sai)")) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FileError(
            Problem(
                shown,
                "phần đầu bài phải là các dòng 'khóa: giá trị' (ví dụ 'title: Tên bài'), "
                "không phải một danh sách hay một câu",
                first_line,
            )
        )
    body_line = skipped + stripped[: len(stripped) - len(body)].count("\n") + 1
    return meta, body, body_line
