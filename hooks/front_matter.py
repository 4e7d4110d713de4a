"""Front matter: split a Markdown file into its YAML metadata and body, and say what is wrong.

Posts and plan pages are both Markdown files with front matter, read here the same way:
a fast path for the plain front matter almost every post has, PyYAML for the rest,
dates left as text (one parser reads them, day first), and every mistake a
:class:`Problem` that names the file and the line. Also the folder walk both use.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from .messages import yaml_problem

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKey(yaml.MarkedYAMLError):
    """One key written twice: YAML keeps the last, so ``draft: true`` … ``draft: false`` publishes."""

    def __init__(self, key: str, first: int, second: int) -> None:
        super().__init__(problem=f"duplicate key {key}")
        self.key, self.first, self.second = key, first, second


class _FrontMatterLoader(_BaseLoader):
    """Safe YAML that leaves dates as text, so that one parser reads them all (day first),
    and refuses a key written twice instead of keeping the last."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            lines: dict[object, int] = {}
            for key_node, _ in node.value:
                key = getattr(key_node, "value", None)
                if isinstance(key, str) and key in lines:
                    raise DuplicateKey(key, lines[key], key_node.start_mark.line)
                if isinstance(key, str):
                    lines[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep)


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
        if key in meta:
            return None  # written twice: PyYAML's loader names both lines
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


@dataclass(frozen=True)
class Walk:
    """The files below a folder, and the links (symlinks) that were not followed, with why."""

    files: list[str]  # sorted "/"-paths, hidden ones included
    refused: list[tuple[str, str]]  # ("/"-path, why in Vietnamese)

    def problems(self, shown_as: str) -> list[Problem]:
        return [Problem(f"{shown_as}/{rel}", why) for rel, why in self.refused]


LINK_OUTSIDE = (
    "đây là một liên kết (symlink) trỏ ra ngoài kho mã; chỉ tệp nằm trong kho mới được đăng. "
    "Hãy xoá liên kết này và chép chính tệp vào đây"
)
LINK_BROKEN = "đây là một liên kết (symlink) hỏng hoặc tự trỏ vòng lại chính nó; hãy xoá liên kết này"
LINK_LOOP = (
    "đây là một liên kết (symlink) tới một thư mục chứa nó hoặc nằm trong nó (vòng lặp): "
    "mọi bài sẽ bị đăng nhiều lần; hãy xoá liên kết này"
)
LINK_INSIDE = (
    "đây là một liên kết (symlink); chỉ tệp thật mới được đăng (một liên kết có thể trỏ tới tệp riêng "
    "của kho như .git/config). Hãy chép chính tệp vào đây rồi xoá liên kết"
)


def walk(root: Path, within: Path | None = None) -> Walk:
    """Every file below ``root``; no link (symlink) is followed, each is named with why: one out of
    ``within`` (the repository; by default ``root``'s parent), a loop, or one inside the repository
    (which could reach .git/config). Neither GitHub's web editor nor the browser editor makes one.
    """
    repo = (within or root.parent).resolve()
    top = root.resolve()
    found: list[str] = []
    refused: list[tuple[str, str]] = []
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue  # not a folder (a missing posts/ is the caller's to say)
        for entry in entries:
            rel = f"{prefix}{entry.name}"
            if entry.is_symlink():
                try:
                    target = Path(entry.path).resolve(strict=True)
                except (OSError, RuntimeError):
                    refused.append((rel, LINK_BROKEN))
                    continue
                if not target.is_relative_to(repo):
                    refused.append((rel, LINK_OUTSIDE))
                elif target.is_dir() and (target.is_relative_to(top) or top.is_relative_to(target)):
                    refused.append((rel, LINK_LOOP))
                else:
                    refused.append((rel, LINK_INSIDE))
            elif entry.is_dir(follow_symlinks=False):
                stack.append((Path(entry.path), f"{rel}/"))
            else:
                found.append(rel)
    return Walk(sorted(found), sorted(refused))


def key_line(source: bytes | Path, key: str) -> int | None:
    """The file line where front-matter ``key`` is written (for a message), or None."""
    try:
        raw = source.read_bytes() if isinstance(source, Path) else source
    except OSError:
        return None
    pattern = re.compile(rf"{re.escape(key)}\s*:")
    opened = False
    for number, line in enumerate(raw.decode("utf-8-sig", "replace").splitlines(), 1):
        if line.strip() == "---":
            if opened:
                return None
            opened = True
        elif opened and pattern.match(line):
            return number
    return None


def is_hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


_VALUE_LINE = re.compile(r"([A-Za-z_][\w-]*):[ \t]+(\S.*?)\s*")


def quote_advice(line: str) -> str | None:
    """The line ``key: value`` rewritten so that YAML reads the value as it was typed, or None.

    Single quotes: inside them only a single quote is special (written twice), so a title with
    double quotes, colons or '#' comes out as typed; double quotes would need escapes.
    """
    match = _VALUE_LINE.fullmatch(line)
    if match is None:
        return None
    key, value = match.groups()
    if value.startswith("'") and value.endswith("'") and len(value) > 1:
        value = value[1:-1].replace("''", "'")
    candidate = f"{key}: '{value.replace(chr(39), chr(39) * 2)}'"
    try:
        if yaml.load(candidate, Loader=_FrontMatterLoader) != {key: value}:  # noqa: S506 - a safe loader
            return None
    except yaml.YAMLError:
        return None
    return candidate


def read_front_matter(raw: bytes, shown: str) -> tuple[dict[str, Any], str, int]:
    """Split a post into (metadata, Markdown body, line where the body starts)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileError(
            Problem(shown, "tệp không phải văn bản UTF-8; hãy lưu lại tệp với bảng mã UTF-8", line)
        ) from None
    # One spelling of each letter, whatever keyboard typed it: pages, feeds, search and tags agree.
    text = unicodedata.normalize("NFC", text)
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
    except DuplicateKey as exc:
        raise FileError(
            Problem(
                shown,
                f"khóa '{exc.key}' được ghi hai lần (dòng {fm_line + exc.first} và dòng "
                f"{fm_line + exc.second}); hãy giữ một dòng và xoá dòng kia",
                fm_line + exc.second,
            )
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = fm_line + mark.line if mark else None
        reason = yaml_problem(exc.problem)
        lines = fm.splitlines()
        quoted = quote_advice(lines[mark.line]) if mark and mark.line < len(lines) else None
        advice = (
            f"hãy viết dòng này là: {quoted}"
            if quoted
            else "mỗi dòng phải có dạng 'khóa: giá trị'; giá trị chứa dấu ':', '#' hay dấu ngoặc kép "
            "thì đặt cả giá trị trong cặp dấu nháy đơn '…' (nháy đơn bên trong viết hai lần '')"
        )
        raise FileError(
            Problem(shown, f"phần đầu bài không phải YAML hợp lệ ({reason}); {advice}", at)
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
