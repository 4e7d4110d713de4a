"""``make build``, ``make serve`` and the Pages workflow: MkDocs, speaking Vietnamese.

    python -m hooks.site build [-f mkdocs.yml] [-d site]
    python -m hooks.site serve [-f mkdocs.yml] [-a 127.0.0.1:8000]

``build`` is strict: any mistake in a post, a plan or a page (a warning) stops it before
anything is published, and it ends with one Vietnamese sentence saying whether the site
was built. A quarter without a post is not a mistake of this kind: the audit reports it
(the report page, ``python -m hooks.coverage``) and it never stops a build. ``serve``
shows the same lines while staff preview their work. Every line MkDocs logs goes through
``messages.translate``; exit status: 0 built, 1 a mistake to fix, 2 a settings error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from . import messages

FILE_HINT = "Sửa các dòng CẢNH BÁO và LỖI ở trên (mỗi dòng ghi tên tệp, số dòng và cách sửa), rồi dựng lại."


class VietnameseHandler(logging.Handler):
    """Writes every MkDocs line translated, and counts what would stop a strict build."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(logging.INFO)
        self.stream = stream or sys.stderr
        self.counts: Counter[int] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelno] += messages.weight(record)
        try:
            self.stream.write(messages.line(record) + "\n")
            self.stream.flush()
        except Exception:  # noqa: BLE001 - logging must never raise
            self.handleError(record)

    @property
    def mistakes(self) -> int:
        return sum(count for level, count in self.counts.items() if level >= logging.WARNING)


def _install() -> VietnameseHandler:
    handler = VietnameseHandler()
    for name in ("mkdocs", "properdocs"):
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    logging.captureWarnings(False)
    return handler


def build(config_file: str, site_dir: str | None) -> int:
    from mkdocs.commands.build import build as mkdocs_build

    handler = _install()
    try:
        config = load_config(config_file=config_file, site_dir=site_dir, strict=True)
    except (ConfigurationError, Abort) as exc:
        print(f"LỖI - {messages.translate(str(exc))}. Hãy sửa mkdocs.yml rồi dựng lại.", file=sys.stderr)
        return 2
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    except Abort:
        pass  # the lines above say why; the sentence below says what it means
    finally:
        config.plugins.on_shutdown()
    if handler.mistakes:
        print(
            f"KHÔNG ĐĂNG: có {handler.mistakes} chỗ cần sửa, trang chưa được dựng. {FILE_HINT}",
            file=sys.stderr,
        )
        return 1
    print(f"Xong: trang đã dựng vào thư mục {config.site_dir}.", file=sys.stderr)
    return 0


def serve(config_file: str, address: str) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve

    _install()
    # The preview lives at the root of its own address: mkdocs.yml's site_url (the published
    # address, often a GitHub Pages sub-path) would move it to http://127.0.0.1:8000/<repo>/.
    os.environ.setdefault("SITE_URL", f"http://{address}/")
    try:
        # --dirty: a saved post rebuilds only the pages it reaches (hooks/preview.py).
        mkdocs_serve(config_file=config_file, dev_addr=address, livereload=True, build_type="dirty")
    except (ConfigurationError, Abort) as exc:
        print(
            f"LỖI - {messages.translate(str(exc))}. Không mở được trang xem thử. {FILE_HINT}", file=sys.stderr
        )
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    messages.vietnamese_argparse()
    parser = argparse.ArgumentParser(
        prog="python -m hooks.site", description="Dựng trang (build) hoặc mở trang xem thử (serve)."
    )
    parser.add_argument("command", choices=("build", "serve"), help="build: dựng trang; serve: xem thử")
    parser.add_argument(
        "-f", "--config-file", default="mkdocs.yml", help="tệp cấu hình (mặc định mkdocs.yml)"
    )
    parser.add_argument("-d", "--site-dir", metavar="THƯ_MỤC", help="thư mục trang dựng ra (mặc định site/)")
    parser.add_argument(
        "-a", "--dev-addr", default="127.0.0.1:8000", metavar="ĐỊA_CHỈ", help="địa chỉ trang xem thử"
    )
    args = parser.parse_args(argv)
    if args.command == "build":
        return build(args.config_file, args.site_dir)
    return serve(args.config_file, args.dev_addr)


if __name__ == "__main__":
    sys.exit(main())
