"""The picture Zalo and Facebook show for a post: its cover cut to 1200 × 630 around its centre.

Parents mostly meet a post as a link shared in a Zalo or Facebook group. Those apps crop the
page's ``og:image`` to about 1.91:1 as they see fit, so a portrait phone photo loses its top
and bottom and a tall cover may show only sky. The build makes that cut itself, from the
centre of the cover, at the size the apps ask for, and says so in ``og:image:width/height``.

The picture is made from the cover's web-safe copy when there is one (hooks/images.py: upright,
without EXIF), else from the file itself; it is a fresh JPEG either way, written without any
metadata block. It is published at ``anh-chia-se/<slug>.jpg``, a folder outside ``bai-viet/``,
where no file beside a post can be published. A cover that is a web address is left as it is.

Pictures are cached by the SHA-256 of their source's bytes in ``.cache/share/``, so an unchanged
cover costs a hash, not a re-encode.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import io
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .listings import Entry
from .posts import image_rel

log = logging.getLogger("mkdocs.plugins.column")

WIDTH = 1200
HEIGHT = 630
FOLDER = "anh-chia-se"
QUALITY = 85
VERSION = "1"  # bump when the picture changes: old ones are then not reused
READABLE = {".jpg", ".jpeg", ".png", ".webp", ".gif"}  # what Pillow opens; an SVG cover stays as it is
BACKGROUND = (255, 255, 255)  # under a transparent cover: JPEG has no transparency
UNREADABLE = (OSError, UnidentifiedImageError, SyntaxError, ValueError, Image.DecompressionBombError)


@dataclass(frozen=True)
class SharePicture:
    src_uri: str  # where it is published: anh-chia-se/<slug>.jpg
    path: Path  # the picture, in the cache
    width: int = WIDTH
    height: int = HEIGHT


def site_path(slug: str) -> str:
    return f"{FOLDER}/{slug}.jpg"


def covers(entries: Iterable[Entry], posts_dir: Path, web_copies: Mapping[str, Path]) -> dict[str, Path]:
    """Post URL → the file its share picture is made from: the cover's web-safe copy, else the cover."""
    found = {}
    for entry in entries:
        rel = image_rel(entry.post)
        if rel is None:
            continue
        source = web_copies.get(rel)  # a photo, by what the file holds (hooks/images.py)
        if source is None and os.path.splitext(rel)[1].lower() in READABLE:
            source = posts_dir / rel
        if source is not None:
            found[entry.url] = source
    return found


def share_pictures(
    entries: Iterable[Entry], posts_dir: Path, web_copies: Mapping[str, Path], cache: Path
) -> dict[str, SharePicture]:
    """Post URL → its share picture, for every post whose cover is a picture file this build can read."""
    by_url = {entry.url: entry for entry in entries}
    sources = covers(by_url.values(), posts_dir, web_copies)
    made = ShareCache(cache).pictures(sources.values())
    pictures = {}
    for url, source in sources.items():
        path = made[source]
        if path is not None:
            pictures[url] = SharePicture(site_path(by_url[url].post.slug), path)
    return pictures


def crop(image: Image.Image) -> Image.Image:
    """The largest 1200:630 window around the picture's centre, at 1200 × 630, in RGB and without info."""
    upright = _in_srgb(ImageOps.exif_transpose(image))
    if upright.mode in ("RGBA", "LA", "P", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, BACKGROUND)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    elif upright.mode != "RGB":
        upright = upright.convert("RGB")
    fitted = ImageOps.fit(upright, (WIDTH, HEIGHT), Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    fitted.info = {}  # a JPEG comment or XMP of the source is never carried over
    return fitted


def _in_srgb(image: Image.Image) -> Image.Image:
    """Colours as the photo's ICC profile means them (a phone's Display P3), since none is written."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a damaged profile: the colours as they are
    return converted if converted is not None else image


class ShareCache:
    """Share pictures, keyed by the content of what they are made from."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def pictures(self, sources: Iterable[Path], workers: int | None = None) -> dict[Path, Path | None]:
        """Each source's picture, or None where the file can't be read; made on every core."""
        todo = sorted(set(sources))
        if not todo:
            return {}
        with concurrent.futures.ThreadPoolExecutor(workers or os.cpu_count() or 1) as pool:
            return dict(zip(todo, pool.map(self._one, todo), strict=True))

    def _one(self, source: Path) -> Path | None:
        try:
            return self.picture(source)
        except UNREADABLE as exc:
            # The photo check (hooks/images.py) names a broken photo; the link card keeps the cover.
            log.debug(f"Không làm được ảnh chia sẻ từ {source}: {exc}")
            return None

    def picture(self, source: Path) -> Path:
        target = self.folder / f"{_digest(source)}.jpg"
        if target.is_file():
            return target
        with Image.open(source) as image:
            if image.format == "JPEG":  # a large photo is decoded at a smaller scale, still ≥ 1200 × 630
                image.draft("RGB", (WIDTH, HEIGHT))
            picture = crop(image)
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        picture.save(tmp, "JPEG", quality=QUALITY, optimize=True, progressive=True)
        os.replace(tmp, target)
        return target


def _digest(source: Path) -> str:
    sha = hashlib.sha256(VERSION.encode())
    with source.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()
