"""Messages staff and admins read, in Vietnamese: MkDocs' own lines and the YAML parser's words.

The column's own modules write Vietnamese already. What MkDocs and PyYAML say is English;
the commands (``python -m hooks.site build|serve``) pass every log line through
:func:`translate`, so that what reaches a teacher or an admin is Vietnamese or, for a line
nobody foresaw, marked as MkDocs' own words with what it is about. Each pattern is tested
against the message MkDocs really logs (tests/test_messages.py).
"""

from __future__ import annotations

import errno
import logging
import re
from collections.abc import Callable

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _rule(pattern: str, words: str | Callable[[re.Match[str]], str]) -> Rule:
    render = words if callable(words) else (lambda m, w=words: w.format(*m.groups(), **m.groupdict()))
    return re.compile(pattern, re.DOTALL), render


# What MkDocs says is wrong with a value of mkdocs.yml (config/config_options.py, config/base.py).
CONFIG_DETAILS: tuple[Rule, ...] = (
    _rule(r"^Unrecognised configuration name: (.*)$", "MkDocs không biết mục '{0}'; hãy xoá hoặc sửa tên"),
    _rule(r"^The path '(.*)' isn't an existing directory\.$", "thư mục '{0}' không tồn tại"),
    _rule(r"^The path '(.*)' isn't an existing file\.$", "tệp '{0}' không tồn tại"),
    _rule(r"^Required configuration not provided\.$", "thiếu mục bắt buộc này"),
    _rule(r"^Expected type: <class '(\w+)'> but received: <class '(\w+)'>$", "kiểu giá trị sai"),
    _rule(r"^Unrecognised theme name: '([^']*)'.*$", "không có giao diện (theme) tên '{0}'"),
    _rule(r"^The \"(\w+)\" plugin is not installed$", "chưa cài plugin '{0}'"),
)


def _config(match: re.Match[str]) -> str:
    name, detail = match[1], match[2]
    for pattern, render in CONFIG_DETAILS:
        found = pattern.match(detail.strip())
        if found:
            return f"mkdocs.yml, mục '{name}': {render(found)}"
    return f"mkdocs.yml, mục '{name}': {detail} (thông báo của MkDocs, tiếng Anh)"


# MkDocs 1.6 (and ProperDocs 1.6) log lines, most frequent first.
MKDOCS: tuple[Rule, ...] = (
    _rule(r"^Cleaning site directory$", "Xoá thư mục trang cũ"),
    _rule(r"^Building documentation to directory: (.*)$", "Dựng trang vào thư mục {0}"),
    _rule(r"^Building documentation\.\.\.$", "Đang dựng trang…"),
    _rule(r"^Documentation built in ([\d.]+) seconds$", "Đã dựng xong trang trong {0} giây"),
    _rule(r"^Watching paths for changes: (.*)$", "Theo dõi thay đổi trong: {0}"),
    _rule(r"^Serving on (\S+)(?: and opening it in a browser)?$", "Trang xem thử: {0} (bấm Ctrl+C để dừng)"),
    _rule(r"^Detected file changes$", "Có tệp thay đổi, dựng lại…"),
    _rule(r"^Reloading browsers$", "Tải lại trang trong trình duyệt"),
    _rule(r"^Browser connected: (.*)$", "Trình duyệt đang xem {0}"),
    _rule(r"^Shutting down\.\.\.$", "Dừng trang xem thử"),
    _rule(
        r"^An error happened during the rebuild\. The server will appear stuck until build errors are resolved\.$",
        "Dựng lại bị lỗi: trang xem thử giữ bản cũ cho đến khi sửa xong lỗi ở trên.",
    ),
    _rule(
        r"^The directory contains stale files\. Use --clean to remove them\.$",
        "Thư mục trang còn tệp cũ; lần dựng sau sẽ xoá chúng",
    ),
    _rule(r"^Config value '([^']+)': (.*)$", _config),
    _rule(r"^Aborted with a configuration error!$", "mkdocs.yml có lỗi (xem dòng ở trên)"),
    _rule(
        r"^Aborted with (\d+) configuration warnings in 'strict' mode!$",
        "mkdocs.yml có {0} chỗ cần sửa (xem ở trên)",
    ),
    _rule(
        r"^The following pages exist in the docs directory, but are not included in the \"nav\" configuration:\n(.*)$",
        "Các trang trong docs/ chưa có trong mục nav của mkdocs.yml (vẫn được đăng):\n{0}",
    ),
    _rule(
        r"^Doc file '([^']+)' contains an absolute link '([^']+)'.*$",
        "Tệp {0} có liên kết tuyệt đối '{1}' (bắt đầu bằng '/'); trên GitHub Pages liên kết này sẽ hỏng, "
        "hãy viết đường dẫn tương đối",
    ),
    _rule(
        r"^Doc file '([^']+)' contains a link '([^']+)', but the target '([^']+)' is not found among documentation files\..*$",
        "Tệp {0} có liên kết '{1}' tới '{2}' nhưng không có tệp đó",
    ),
    _rule(
        r"^Doc file '([^']+)' contains an unrecognized relative link '([^']+)', it was left as is\..*$",
        "Tệp {0} có liên kết '{1}' không trỏ tới tệp nào trong trang",
    ),
    _rule(
        r"^Doc file '([^']+)' contains a link '([^']+)', but the doc '([^']+)' does not contain an anchor '([^']+)'\.$",
        "Tệp {0} có liên kết '{1}' nhưng trang {2} không có mục '#{3}'",
    ),
    _rule(
        r"^Doc file '([^']+)' contains a link '#([^']+)', but there is no such anchor on this page\.$",
        "Tệp {0} có liên kết '#{1}' nhưng trong trang không có mục đó",
    ),
    _rule(r"^Error reading page '([^']+)': (.*)$", "Không đọc được trang {0}: {1}"),
    _rule(r"^Template skipped: '([^']+)' .*$", "Bỏ qua mẫu trang {0}"),
    _rule(
        r"^A reference to '([^']+)' is included in the 'nav' configuration, which is not found in the documentation files\.$",
        "Mục nav của mkdocs.yml nhắc tới '{0}' nhưng không có tệp đó trong docs/",
    ),
)

LEVELS = {
    logging.DEBUG: "",
    logging.INFO: "",
    logging.WARNING: "CẢNH BÁO",
    logging.ERROR: "LỖI",
    logging.CRITICAL: "LỖI",
}

# Latin letters with Vietnamese marks: a line holding one is Vietnamese already.
_VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)


def is_vietnamese(text: str) -> bool:
    return bool(_VIETNAMESE.search(text))


_CLOCK = re.compile(r"^(\[\d\d:\d\d:\d\d\] )(.*)$", re.DOTALL)  # livereload's lines start with the time


def translate(message: str) -> str:
    """A log message as staff read it."""
    if is_vietnamese(message):
        return message
    clock = _CLOCK.match(message)
    prefix, text = (clock[1], clock[2]) if clock else ("", message)
    for pattern, render in MKDOCS:
        match = pattern.match(text.strip())
        if match:
            return prefix + render(match)
    return f"Thông báo của MkDocs (tiếng Anh, chưa có bản dịch): {message}"


FIXES = "chỗ cần sửa"
_FIXES = re.compile(rf"^(\d+) {FIXES}\b")


def fixes(count: int) -> str:
    """``3 chỗ cần sửa``: the head of a list of mistakes, which :func:`weight` counts back."""
    return f"{count} {FIXES}"


def weight(record: logging.LogRecord) -> int:
    """How many mistakes one log line stands for: a list headed by :func:`fixes` counts each,
    so that the closing sentence ("có 3 chỗ cần sửa") agrees with the first line."""
    match = _FIXES.match(record.getMessage()) if record.levelno >= logging.WARNING else None
    return int(match[1]) if match else 1


def line(record: logging.LogRecord) -> str:
    """``CẢNH BÁO - posts/2026/a.md:12: ...`` or, for plain information, the message alone."""
    label = LEVELS.get(record.levelno, "LỖI")
    text = translate(record.getMessage())
    return f"{label} - {text}" if label else text


# PyYAML's problem words (yaml/scanner.py, parser.py, constructor.py) for front matter mistakes.
YAML_PROBLEMS: tuple[Rule, ...] = (
    _rule(r"^mapping values are not allowed (?:here|in this context)$", "có dấu ':' ở chỗ không được có"),
    _rule(r"^could not find expected ':'$", "thiếu dấu ':' sau tên khóa"),
    _rule(r"^found character '\\t' that cannot start any token$", "có ký tự Tab; hãy dùng dấu cách"),
    _rule(r"^found character '(.)' that cannot start any token$", "có ký tự '{0}' ở đầu giá trị"),
    _rule(r"^found undefined alias .*$", "có dấu '*' ở đầu giá trị"),
    _rule(r"^found unexpected end of stream$", "thiếu dấu ngoặc hoặc ngoặc kép đóng lại"),
    _rule(r"^found unknown escape character.*$", "có dấu '\\' trong ngoặc kép"),
    _rule(r"^expected <block end>, but found .*$", "thụt lề không đều"),
    _rule(
        r"^expected ',' or '\]', but got .*$", "danh sách trong [ ] viết sai; các mục cách nhau bằng dấu phẩy"
    ),
    _rule(r"^expected ',' or '\}', but got .*$", "bảng trong {{ }} viết sai"),
    _rule(r"^found duplicate anchor.*$", "có dấu '&' ở đầu giá trị"),
    _rule(r"^expected alphabetic or numeric character, but found .*$", "có dấu '&' hoặc '*' ở đầu giá trị"),
    _rule(r"^expected a comment or a line break, but found .*$", "có chữ thừa sau dấu ngoặc kép đóng"),
    _rule(r"^did not find expected key$", "thụt lề không đều hoặc thiếu tên khóa"),
    _rule(r"^did not find expected ',' or '\]'$", "danh sách mở bằng '[' mà không có ']' đóng lại"),
    _rule(r"^did not find expected ',' or '\}'$", "mở bằng '{{' mà không có '}}' đóng lại"),
    _rule(r"^did not find expected alphabetic or numeric character$", "có dấu '*' hoặc '&' ở đầu giá trị"),
    _rule(r"^did not find expected node content$", "thiếu giá trị"),
    _rule(r"^found a tab character .*$", "có ký tự Tab; hãy dùng dấu cách"),
)


def yaml_error(exc: Exception) -> str:
    """A YAML file's mistake as ``dòng 4: thụt lề không đều hoặc thiếu tên khóa`` (never PyYAML's English)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    character = getattr(exc, "character", None)  # yaml.ReaderError: a character YAML refuses
    if isinstance(character, str | int):
        code = ord(character) if isinstance(character, str) else character
        return (
            f"có ký tự ẩn không được phép (mã {code:#06x}, thường dính theo khi dán từ Word); "
            "hãy gõ lại dòng đó"
        )
    reason = yaml_problem(getattr(exc, "problem", None))
    return f"dòng {mark.line + 1}: {reason}" if mark is not None else reason


# The system's reasons a file could not be read or written, in Vietnamese (strerror is English).
OS_REASONS = {
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.EACCES: "không có quyền đọc, ghi hoặc chạy",
    errno.EPERM: "không có quyền đọc, ghi hoặc chạy",
    errno.ENOSPC: "hết chỗ trống trên đĩa hoặc trong bộ nhớ",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
}


def os_reason(exc: OSError) -> str:
    """Why a file could not be read or written, in Vietnamese where the reason is a common one."""
    return OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def yaml_problem(problem: str | None) -> str:
    """PyYAML's problem in words staff can act on (never the English fragment)."""
    for pattern, render in YAML_PROBLEMS:
        match = pattern.match((problem or "").strip())
        if match:
            return render(match)
    return "cú pháp sai"


# argparse's own words (Python 3.11), for the commands' --help and their usage errors.
ARGPARSE = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tuỳ chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "còn thiếu: %s",
    "unrecognized arguments: %s": "không hiểu các tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "không có lựa chọn %(value)r (chọn một trong %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": "tuỳ chọn %(option)s chưa rõ: có thể là %(matches)s",
    "unexpected option string: %s": "tuỳ chọn không đúng chỗ: %s",
    "not allowed with argument %s": "không dùng cùng %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
}


def vietnamese_argparse() -> None:
    """Make argparse (looked up through its module's ``_`` at call time) speak Vietnamese."""
    import argparse

    argparse._ = lambda text: ARGPARSE.get(text, text)  # type: ignore[attr-defined]
