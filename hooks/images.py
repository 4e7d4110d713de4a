"""Photos beside posts, made web-safe: upright, at most 1,600 px, and without EXIF (GPS above all).

A kindergarten's phone photo of children carries where it was taken in its EXIF data; a
23 MB original also costs a parent's mobile data. Every JPEG, PNG and WebP under posts/ is
published as a re-encoded copy: EXIF orientation applied, every metadata block dropped
(Pillow writes none unless asked), the long side at most ``MAX_SIDE``. The original in
posts/ is never touched and never reaches site/.

Copies are cached by the SHA-256 of the original's bytes (``.cache/images/``; the Pages
workflow keeps that folder between runs), so an unchanged photo costs a hash, not a
re-encode. A small index of (path, size, mtime) → hash spares even the hash locally,
where file times are stable (``make serve``, ``make build`` twice).
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600
JPEG_QUALITY = 82
WEBP_QUALITY = 80
VERSION = "1"  # bump when the processing changes: old copies are then not reused
PROCESSED = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
REFUSED = {
    ".heic": "ảnh HEIC của iPhone",
    ".heif": "ảnh HEIF",
    ".tif": "ảnh TIFF",
    ".tiff": "ảnh TIFF",
    ".bmp": "ảnh BMP",
}
Image.MAX_IMAGE_PIXELS = 120_000_000  # a 108 MP phone photo opens; a decompression bomb does not


class ImageError(ValueError):
    """A photo that can't be published; the message says what to do, in Vietnamese."""


@dataclass(frozen=True)
class WebImage:
    path: Path  # the web-safe copy, in the cache
    width: int
    height: int


def is_photo(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in PROCESSED


def refusal(name: str) -> str | None:
    """Why a file of this kind can't be published as it is, or None."""
    kind = REFUSED.get(os.path.splitext(name)[1].lower())
    if kind is None:
        return None
    return (
        f"{kind}: trình duyệt của phụ huynh không hiển thị được; hãy chuyển sang JPEG rồi tải lên lại "
        "(trên iPhone: Cài đặt → Camera → Định dạng → Tương thích nhất)"
    )


class ImageCache:
    """Web-safe copies of photos, keyed by their content."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.index_path = folder / "index.json"
        try:
            self.index: dict[str, str] = json.loads(self.index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.index = {}
        self._seen: dict[str, str] = {}

    def web_images(
        self, sources: Iterable[Path], workers: int | None = None
    ) -> dict[Path, WebImage | ImageError]:
        """Each photo's copy, or why there is none; photos are hashed and encoded on every core."""
        todo = list(sources)
        self.folder.mkdir(parents=True, exist_ok=True)
        with concurrent.futures.ThreadPoolExecutor(workers or os.cpu_count() or 1) as pool:
            done = dict(zip(todo, pool.map(self._one, todo), strict=True))
        self._save_index()
        return done

    def _one(self, source: Path) -> WebImage | ImageError:
        try:
            return self.web_image(source)
        except ImageError as exc:
            return exc
        except OSError as exc:
            return ImageError(f"không đọc được ảnh ({exc.strerror})")

    def web_image(self, source: Path) -> WebImage:
        digest = self._digest(source)
        fmt = PROCESSED[source.suffix.lower()]
        target = self.folder / f"{digest}{source.suffix.lower()}"
        if target.is_file():
            try:
                with Image.open(target) as cached:  # reads the header only
                    return WebImage(target, *cached.size)
            except (OSError, UnidentifiedImageError):
                pass  # a damaged copy: made again
        return _encode(source, target, fmt)

    def _digest(self, source: Path) -> str:
        stat = source.stat()
        key = f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
        known = self.index.get(key)
        if known is not None:
            self._seen[key] = known
            return known
        sha = hashlib.sha256(VERSION.encode())
        with source.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                sha.update(block)
        digest = sha.hexdigest()
        self._seen[key] = digest
        return digest

    def _save_index(self) -> None:
        """Keep only the entries of this build: the index never grows with deleted photos."""
        if self._seen != self.index:
            tmp = self.index_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self._seen, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.index_path)
            self.index = dict(self._seen)


def _encode(source: Path, target: Path, fmt: str) -> WebImage:
    try:
        with Image.open(source) as original:
            if fmt == "JPEG":
                # Decode at the smallest power-of-two scale still above MAX_SIDE: a 4000 px photo
                # is read at 2000 px, several times faster than in full.
                original.draft("RGB", (MAX_SIDE, MAX_SIDE))
            upright = ImageOps.exif_transpose(original)
            upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            icc = original.info.get("icc_profile")  # colours, not metadata about the photo
            options: dict[str, object] = {"icc_profile": icc} if icc else {}
            tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            if fmt == "JPEG":
                image = upright if upright.mode in ("RGB", "L") else upright.convert("RGB")
                image.save(tmp, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **options)
            elif fmt == "PNG":
                upright.save(tmp, "PNG", optimize=True, **options)
            else:
                upright.save(tmp, "WEBP", quality=WEBP_QUALITY, **options)
            os.replace(tmp, target)
            return WebImage(target, *upright.size)
    except Image.DecompressionBombError:
        raise ImageError("ảnh quá lớn (quá 120 triệu điểm ảnh); hãy thu nhỏ ảnh rồi tải lên lại") from None
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError):
        raise ImageError("không mở được ảnh: tệp hỏng hoặc không phải ảnh; hãy tải ảnh lên lại") from None


def sizes(images: Mapping[str, WebImage]) -> dict[str, tuple[int, int]]:
    """Site path → (width, height), for the ``<img>`` tags of the pages."""
    return {path: (image.width, image.height) for path, image in images.items()}


_SVG_SIZE = re.compile(rb'<svg\b[^>]*?\swidth="(\d+)(?:px)?"[^>]*?\sheight="(\d+)(?:px)?"', re.DOTALL)
_SVG_BOX = re.compile(
    rb'<svg\b[^>]*?\sviewBox="\s*[-\d.]+[ ,]+[-\d.]+[ ,]+([\d.]+)[ ,]+([\d.]+)\s*"', re.DOTALL
)


def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height of an image file (an SVG by its width/height or viewBox), or None."""
    if path.suffix.lower() == ".svg":
        try:
            head = path.read_bytes()[:4096]
        except OSError:
            return None
        match = _SVG_SIZE.search(head) or _SVG_BOX.search(head)
        return (round(float(match[1])), round(float(match[2]))) if match else None
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, UnidentifiedImageError):
        return None
