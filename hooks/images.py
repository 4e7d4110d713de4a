"""Photos beside posts, made web-safe or refused, by what the file holds rather than by its name.

A kindergarten's phone photo of children carries where it was taken in its EXIF data; a
23 MB original also costs a parent's mobile data. Every JPEG, PNG, WebP, AVIF and GIF under
posts/, whatever its name says (``.jfif``, ``.JPG``, no photo suffix at all), is published
as a re-encoded copy: EXIF orientation applied, the long side at most ``MAX_SIDE``, and no
metadata of any kind (EXIF, XMP, IPTC, comments, PNG text): only the ICC colour profile is
kept. The copy is of the type its published name is served as (GitHub Pages serves by
suffix), so a PNG named ``.jpg`` becomes a JPEG; an animated GIF, WebP or PNG keeps its
animation. Any other image (HEIC, TIFF, BMP, Photoshop…) and a file named like a photo that
is none (a saved web page) are refused with what to do.

The original stays in the repository, which Pages needs public: an original that carries a
GPS position (EXIF or XMP) is refused, a draft's included, before anything is published.

Copies are cached by the SHA-256 of the original's bytes (``.cache/images/``; the Pages
workflow keeps that folder between runs), so an unchanged photo costs a hash, not a
re-encode, and its position is looked for once (``positions.json``, by the same hash). A small
index of (path, size, mtime) → hash (``index.json``) spares even the hash locally, where file
times are stable (``make serve``, ``make build`` twice).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import io
import json
import logging
import os
import re
import threading
import warnings
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from .messages import os_reason

MAX_SIDE = 1600
MAX_PIXELS = 120_000_000  # a 108 MP phone photo opens; a decompression bomb does not
JPEG_QUALITY = 82
WEBP_QUALITY = 80
AVIF_QUALITY = 60  # about what JPEG 82 looks like, at half the bytes
AVIF_SPEED = 8  # 0.3 s for a 1,600 px photo; the default (6) takes five times as long for the same size
VERSION = "2"  # bump when the processing changes: old copies (and their position checks) are then not reused

# What a published name is served as, so its copy must be that (GitHub Pages picks the type by suffix).
SERVED = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".jpe": "JPEG",
    ".jfif": "JPEG",
    ".jfi": "JPEG",
    ".jif": "JPEG",
    ".pjpeg": "JPEG",
    ".pjp": "JPEG",
    ".png": "PNG",
    ".apng": "PNG",
    ".webp": "WEBP",
    ".avif": "AVIF",
    ".gif": "GIF",
}
PUBLISHED = frozenset(("JPEG", "PNG", "WEBP", "AVIF", "GIF"))
EXTENSION = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "AVIF": ".avif", "GIF": ".gif"}
ANIMATED = frozenset(("GIF", "WEBP", "PNG", "AVIF"))  # formats whose copy keeps every frame
# Names of images the site does not publish; a file so named is looked at even without a known signature.
OTHER_SUFFIXES = frozenset(
    ".heic .heif .hif .avifs .tif .tiff .bmp .dib .ico .cur .psd .psb .jxl .jp2 .j2k .jpx .jpf .tga .pcx "
    ".ppm .pgm .pbm .pnm .xcf .dng .cr2 .cr3 .nef .arw .orf .rw2 .raf".split()
)
IMAGE_SUFFIXES = frozenset(SERVED) | OTHER_SUFFIXES
KINDS = {  # how staff know the formats that are refused
    "HEIC": "ảnh HEIC của iPhone",
    "TIFF": "ảnh TIFF",
    "BMP": "ảnh BMP",
    "ICO": "biểu tượng ICO",
    "PSD": "tệp Photoshop (PSD)",
    "JXL": "ảnh JPEG XL",
    "JPEG2000": "ảnh JPEG 2000",
    "RAW": "ảnh RAW của máy ảnh",
    "UNKNOWN": "ảnh loại này",
}
UNKNOWN = "UNKNOWN"
WEAK = frozenset(("BMP", "ICO"))  # two or four bytes: a file with another name must also open as an image
GPS_IFD = 0x8825
GPS_LATITUDE, GPS_LONGITUDE = 2, 4

Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own backstop, for any other code that opens an image
# Pillow's English about a damaged file ("Corrupt EXIF data", "More samples per pixel…") means
# nothing to staff: the file is published clean or refused, and the build says so in Vietnamese.
warnings.filterwarnings("ignore", module="PIL")
logging.getLogger("PIL").addHandler(logging.NullHandler())
logging.getLogger("PIL").propagate = False

# An XMP position: exif:GPSLatitude="21,0.5N" or <exif:GPSLongitude>105,48.2E</…> (drones: GpsLatitude).
_XMP_POSITION = re.compile(
    rb"gps[ _-]?(?:latitude|longitude)\s*(?:=\s*[\"']|>)\s*([^\"'<]{0,64})", re.IGNORECASE
)
_NONZERO = re.compile(rb"[1-9]")
_HEIF_BRANDS = frozenset((b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"))
_PILLOW = threading.Lock()

NOT_A_PHOTO = (
    "không mở được ảnh: tệp có đuôi {suffix} nhưng nội dung không phải ảnh (tệp hỏng, hoặc một trang web "
    "hay tệp khác bị đặt tên nhầm); hãy tải lên lại đúng tệp ảnh"
)
BROKEN = "không mở được ảnh: tệp hỏng hoặc không phải ảnh; hãy tải ảnh lên lại"
TOO_LARGE = (
    "ảnh quá lớn ({size}; trang nhận ảnh tới 120 triệu điểm ảnh); hãy thu nhỏ ảnh, ví dụ còn cạnh dài "
    "4000 điểm ảnh, rồi tải lên lại"
)
POSITION = (
    "ảnh gốc còn vị trí GPS nơi chụp, mà kho GitHub của trang là công khai nên ai cũng tải được ảnh gốc này. "
    "Hãy xoá tệp này trên GitHub (mở tệp, bấm ⋯ rồi Delete file), bỏ vị trí khỏi ảnh trên điện thoại "
    "(xem mục Ảnh trong trang Hướng dẫn) rồi tải ảnh lên lại. Tệp đã xoá vẫn còn trong lịch sử của kho: "
    "hãy báo người quản trị trang để xoá hẳn khỏi lịch sử"
)


class ImageError(ValueError):
    """A photo that can't be published; the message says what to do, in Vietnamese."""


class PositionError(ImageError):
    """An original under posts/ that tells where it was taken: the public repository already holds it."""


@dataclass(frozen=True)
class WebImage:
    path: Path  # the web-safe copy, in the cache
    width: int
    height: int


def is_photo(name: str) -> bool:
    """Named like a photo the site publishes (the content decides all the same: see ``sniff``)."""
    return os.path.splitext(name)[1].lower() in SERVED


def sniff(head: bytes) -> str | None:
    """The image format a file's first bytes (64 are enough) announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        size = int.from_bytes(head[:4], "big")
        brands = {head[8:12], *(head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4))}
        if brands & {b"avif", b"avis"}:
            return "AVIF"
        if brands & _HEIF_BRANDS:
            return "HEIC"
        if b"crx " in brands:
            return "RAW"
        return None
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"  # the RAW files of most cameras (DNG, CR2, NEF, ARW) are TIFF inside
    if head[:4] == b"8BPS":
        return "PSD"
    if head[:2] == b"\xff\x0a" or head[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n":
        return "JXL"
    if head[:12] == b"\x00\x00\x00\x0cjP  \r\n\x87\n" or head[:4] == b"\xff\x4f\xff\x51":
        return "JPEG2000"
    if head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00":
        return "BMP"
    if head[:4] in (b"\x00\x00\x01\x00", b"\x00\x00\x02\x00") and head[4:6] != b"\x00\x00":
        return "ICO"
    return None


def why_refused(kind: str) -> str:
    """Why an image of this kind is not published, and what to do instead."""
    if kind == "HEIC":
        return (
            f"{KINDS[kind]}: trình duyệt của phụ huynh không hiển thị được; hãy chuyển sang JPEG rồi tải lên "
            "lại (trên iPhone: Cài đặt → Camera → Định dạng → Tương thích nhất)"
        )
    return (
        f"{KINDS.get(kind, f'ảnh {kind}')}: trang chỉ đăng ảnh JPEG, PNG, WebP, AVIF và GIF; hãy mở ảnh rồi "
        "lưu lại thành JPEG (ảnh chụp) hoặc PNG (hình vẽ, ảnh chụp màn hình) và tải lên lại"
    )


def has_position(gps: Mapping[int, Any]) -> bool:
    """An EXIF GPS block with a latitude or longitude other than 0 (some phones write zeros without a fix)."""
    for tag in (GPS_LATITUDE, GPS_LONGITUDE):
        value = gps.get(tag)
        if value is None:
            continue
        try:
            if any(float(part) for part in value):
                return True
        except (TypeError, ValueError, ZeroDivisionError):
            return True  # there but unreadable: a viewer may read it all the same
    return False


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Pillow's English DecompressionBombWarning never reaches the output: the size is checked here and
    said in Vietnamese. Warning filters are the whole process's, so the threads take turns."""
    with _PILLOW, warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        yield


def _open(path: Path | IO[bytes], formats: list[str] | None = None) -> Image.Image:
    """The image's header, read without decoding; too many pixels is an ImageError."""
    try:
        with _quiet():
            image = Image.open(path, formats=formats)
    except Image.DecompressionBombError:
        raise ImageError(TOO_LARGE.format(size=f"hơn {2 * MAX_PIXELS // 1_000_000} triệu điểm ảnh")) from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        size = f"{width} × {height} = {round(width * height / 1_000_000)} triệu điểm ảnh"
        raise ImageError(TOO_LARGE.format(size=size))
    return image


def _identify(path: Path) -> str | None:
    """Pillow's name for an image without a signature we know (TGA, PCX…), or None for no image."""
    try:
        with _quiet(), Image.open(path) as image:
            return image.format or UNKNOWN
    except Image.DecompressionBombError:
        return UNKNOWN  # an image all the same
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError, EOFError):
        return None


def position_in(path: Path) -> bool:
    """Whether an image tells where it was taken: EXIF GPS, or a GPS position in its XMP."""
    return position_in_bytes(path.read_bytes())


def position_in_bytes(data: bytes) -> bool:
    """:func:`position_in` of an image held in memory (a photo inside a Word file, say)."""
    texts: list[bytes] = [data]
    exif = Image.Exif()
    try:
        with _open(io.BytesIO(data)) as image:
            for key, value in image.info.items():  # XMP Pillow unpacked (compressed PNG text)
                if isinstance(key, str) and "xmp" in key.lower() and isinstance(value, (bytes, str)):
                    texts.append(value.encode("utf-8", "replace") if isinstance(value, str) else value)
            if image.format != "PNG" or b"eXIf" in data or "Raw profile type exif" in image.info:
                exif = image.getexif()  # a PNG's would decode the whole image to look for one
    except Exception:  # noqa: BLE001 - HEIC, and whatever Pillow can't read: the raw EXIF below
        pass
    for text in texts:
        if not any(word in text for word in (b"atitude", b"ongitude", b"ATITUDE", b"ONGITUDE")):
            continue  # a plain search first: the pattern below is slow over megabytes of pixels
        if any(_NONZERO.search(match[1]) for match in _XMP_POSITION.finditer(text)):
            return True
    if _gps_position(exif):
        return True
    start = data.find(b"Exif\x00\x00")  # JPEG's APP1, HEIC's and AVIF's Exif item
    if start >= 0:
        raw = Image.Exif()
        try:
            raw.load(data[start:])
        except Exception:  # noqa: BLE001 - not an EXIF block after all
            return False
        return _gps_position(raw)
    return False


def _gps_position(exif: Image.Exif) -> bool:
    try:
        return GPS_IFD in exif and has_position(exif.get_ifd(GPS_IFD))
    except Exception:  # noqa: BLE001 - a GPS block that Pillow can't read may still hold a position
        return True


# Office documents and archives are zip files; a phone photo pasted into Word keeps its EXIF there.
PACKED = (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".zip")
PACKED_ENTRIES = 5_000  # more than any school's document holds; a zip bomb is not read further
PACKED_ENTRY_BYTES = 64 * 1024 * 1024


def packed_positions(path: Path) -> list[str]:
    """The pictures inside an office document or a zip that tell where they were taken (entry names).

    Bounded: at most ``PACKED_ENTRIES`` entries are looked at, and an entry larger than
    ``PACKED_ENTRY_BYTES`` once unpacked is skipped unread. A file that is not a zip has none.
    """
    found = []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist()[:PACKED_ENTRIES]:
                if info.is_dir() or info.file_size > PACKED_ENTRY_BYTES:
                    continue
                with archive.open(info) as entry:
                    head = entry.read(64)
                    if sniff(head) is None:
                        continue
                    data = head + entry.read(PACKED_ENTRY_BYTES)
                if position_in_bytes(data):
                    found.append(info.filename)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):  # not a zip, damaged, encrypted
        return found
    return found


class ImageCache:
    """Web-safe copies of photos, keyed by their content."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # File times → hash: worth something only where file times are stable (not in CI).
        self.index_path = folder / "index.json"
        # Hash → whether the original tells where it was taken: true of the bytes wherever they are.
        self.positions_path = folder / "positions.json"
        self.index: dict[str, str] = _load(self.index_path)
        self.positions: dict[str, bool] = _load(self.positions_path)
        self._seen: dict[str, str] = {}
        self._checked: dict[str, bool] = {}

    def web_images(
        self, sources: Iterable[Path], *, held: Collection[Path] = (), workers: int | None = None
    ) -> dict[Path, WebImage | ImageError]:
        """Each image's copy, or why there is none; files that are no image are left out.

        ``held`` files wait with a draft: they get no copy yet, but a position in one is an
        error now, since the public repository already holds it. Photos are hashed and
        encoded on every core.
        """
        jobs = [(source, True) for source in sources] + [(source, False) for source in held]
        self.folder.mkdir(parents=True, exist_ok=True)
        with concurrent.futures.ThreadPoolExecutor(workers or os.cpu_count() or 1) as pool:
            results = list(pool.map(lambda job: self._one(*job), jobs))
        self._save_index()
        return {
            source: result for (source, _), result in zip(jobs, results, strict=True) if result is not None
        }

    def _one(self, source: Path, publish: bool) -> WebImage | ImageError | None:
        try:
            return self._image(source, publish)
        except ImageError as exc:
            return exc
        except OSError as exc:
            if exc.strerror:  # the file itself (permissions, a disk error), not its content
                return ImageError(f"không đọc được ảnh ({os_reason(exc)})")
            return ImageError(BROKEN)
        except Exception:  # noqa: BLE001 - a decoder's error on a damaged file is a damaged file, not a traceback
            return ImageError(BROKEN)

    def _image(self, source: Path, publish: bool) -> WebImage | None:
        with source.open("rb") as handle:
            kind = sniff(handle.read(64))
        suffix = source.suffix.lower()
        named = suffix in IMAGE_SUFFIXES
        if kind in WEAK and not named and _identify(source) is None:
            kind = None  # "BM…" at the start of a file that is no bitmap
        if kind is None:
            if not named:
                return None  # a document, not an image
            kind = _identify(source)
            if kind is None:
                if not publish:
                    return None  # named wrongly, but it waits with a draft: said when it is published
                raise ImageError(NOT_A_PHOTO.format(suffix=suffix))
        digest = self._digest(source)
        if self._position(source, digest):
            raise PositionError(POSITION if kind in PUBLISHED else f"{POSITION}; {why_refused(kind)}")
        if not publish:
            return None
        if kind not in PUBLISHED:
            raise ImageError(why_refused(kind))
        fmt = SERVED.get(suffix, kind)
        target = self.folder / f"{digest}{EXTENSION[fmt]}"
        if target.is_file():
            try:
                with Image.open(target) as cached:  # reads the header only
                    return WebImage(target, *cached.size)
            except (OSError, UnidentifiedImageError):
                pass  # a damaged copy: made again
        return _encode(source, target, fmt, kind)

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

    def _position(self, source: Path, digest: str) -> bool:
        """Looked for once per content: the answer is kept in the index, beside the hash."""
        known = self.positions.get(digest)
        if not isinstance(known, bool):
            known = position_in(source)
        self._checked[digest] = known
        return known

    def _save_index(self) -> None:
        """Keep only the entries of this build: the files never grow with deleted photos."""
        if self._seen != self.index:
            _store(self.index_path, self._seen)
            self.index = dict(self._seen)
        if self._checked != self.positions:
            _store(self.positions_path, self._checked)
            self.positions = dict(self._checked)


def _load(path: Path) -> dict[str, Any]:
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return saved if isinstance(saved, dict) else {}


def _store(path: Path, entries: Mapping[str, object]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(entries, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _encode(source: Path, target: Path, fmt: str, kind: str) -> WebImage:
    """Decode the original and write a copy of type ``fmt`` with nothing but pixels and colours."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with _open(source, [kind]) as original:
            # Colours, not metadata about the photo; a CMYK profile would misdescribe the RGB copy.
            icc = None if original.mode == "CMYK" else original.info.get("icc_profile")
            if fmt in ANIMATED and getattr(original, "n_frames", 1) > 1:
                frames, options = _animation(original)
            else:
                if kind == "JPEG":
                    # Decode at the smallest power-of-two scale still above MAX_SIDE: a 4000 px photo
                    # is read at 2000 px, several times faster than in full.
                    original.draft("RGB", (MAX_SIDE, MAX_SIDE))
                upright = ImageOps.exif_transpose(original)
                upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                frames, options = [upright], {}
            ready = [_fit(frame, fmt) for frame in frames]
            if icc and fmt != "GIF":
                options["icc_profile"] = icc
            _save(ready, tmp, fmt, options)
            os.replace(tmp, target)
            return WebImage(target, *ready[0].size)
    except ImageError:
        raise
    except Image.DecompressionBombError:
        raise ImageError(TOO_LARGE.format(size=f"hơn {2 * MAX_PIXELS // 1_000_000} triệu điểm ảnh")) from None
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError, EOFError):
        raise ImageError(BROKEN) from None
    finally:
        tmp.unlink(missing_ok=True)


def _animation(original: Image.Image) -> tuple[list[Image.Image], dict[str, Any]]:
    """Every frame, scaled down, with its duration; frame sizes are checked as Pillow reads them."""
    with _quiet():  # a frame may grow the canvas: Pillow warns again
        count = getattr(original, "n_frames", 1)
        width, height = original.size
        if width * height * count > MAX_PIXELS:
            raise ImageError(
                f"ảnh động quá dài ({count} khung hình {width} × {height}); hãy cắt bớt khung hình, "
                "thu nhỏ ảnh hoặc dùng một ảnh tĩnh, rồi tải lên lại"
            )
        frames, durations = [], []
        for frame in ImageSequence.Iterator(original):
            copy = frame.convert("RGBA")
            copy.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            frames.append(copy)
            durations.append(int(frame.info.get("duration") or 100))
    options: dict[str, Any] = {"save_all": True, "duration": durations}
    if "loop" in original.info:
        options["loop"] = original.info["loop"]
    return frames, options


def _fit(image: Image.Image, fmt: str) -> Image.Image:
    """A mode ``fmt`` can hold, transparency on white for JPEG; and no metadata carried over."""
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
            rgba = image.convert("RGBA")
            image = Image.new("RGB", rgba.size, (255, 255, 255))
            image.paste(rgba, mask=rgba.getchannel("A"))
        else:
            image = image.convert("RGB")
    elif fmt in ("WEBP", "AVIF") and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    elif fmt == "PNG" and image.mode not in ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    # Every frame here is a copy of our own. Pillow writes a comment, an XMP packet or EXIF from ``info`` for some formats unless told otherwise.
    image.info = {key: value for key, value in image.info.items() if key in ("transparency", "background")}
    return image


def _save(frames: list[Image.Image], tmp: Path, fmt: str, options: dict[str, Any]) -> None:
    first, rest = frames[0], frames[1:]
    if rest:
        options["append_images"] = rest
    if fmt == "JPEG":
        first.save(tmp, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **options)
    elif fmt == "PNG":
        first.save(tmp, "PNG", optimize=not rest, **options)
    elif fmt == "WEBP":
        first.save(tmp, "WEBP", quality=WEBP_QUALITY, **options)
    elif fmt == "AVIF":
        first.save(tmp, "AVIF", quality=AVIF_QUALITY, speed=AVIF_SPEED, **options)
    else:
        first.save(tmp, "GIF", **({"disposal": 2} if rest else {}), **options)


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
        with _open(path) as image:
            return image.size
    except (ImageError, OSError, UnidentifiedImageError, SyntaxError, ValueError):
        return None
