"""What a link shared in Zalo or Facebook shows: the cover cut to 1200 × 630 from its centre.

Units of hooks/share_image.py on pictures with a coloured band where their centre is, then real
builds of tiny sites and of the sample site: the picture published, its size, no EXIF, and the
share tags pointing at it. Also the front page's title, which used to repeat the site's name.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import Build, post, run_build
from PIL import Image

from hooks import share_image

RED = (220, 30, 30)
GREEN = (20, 180, 60)
BLUE = (30, 60, 220)
GPS_IFD = 0x8825


def banded(width: int, height: int, *, across: bool = True) -> Image.Image:
    """Red, then a green band over the middle fifth, then blue: rows if ``across``, else columns."""
    image = Image.new("RGB", (width, height), RED)
    length = height if across else width
    start, end = int(length * 0.4), int(length * 0.6)
    box = (0, start, width, end) if across else (start, 0, end, height)
    image.paste(GREEN, box)
    lower = (0, end, width, height) if across else (end, 0, width, height)
    image.paste(BLUE, lower)
    return image


def jpeg(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, **options)
    return out.getvalue()


def close(pixel: object, colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def with_exif(image: Image.Image, *, orientation: int | None = None, gps: bool = False) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if orientation is not None:
        exif[0x0112] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (21.0, 0.0, 30.0), 3: "E", 4: (105.0, 48.0, 12.0)})
    return jpeg(image, exif=exif, comment=b"Chup tai truong", xmp=b"<x:xmpmeta>dia diem</x:xmpmeta>")


def make(tmp_path: Path, data: bytes, name: str = "bia.jpg") -> Path:
    source = tmp_path / name
    source.write_bytes(data)
    picture = share_image.ShareCache(tmp_path / "cache").picture(source)
    return picture


# --- The picture itself --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(1080, 1920), (3024, 4032), (600, 1400)])
def test_a_portrait_cover_keeps_its_centre(tmp_path: Path, size: tuple[int, int]) -> None:
    picture = make(tmp_path, jpeg(banded(*size)))
    with Image.open(picture) as shown:
        assert shown.size == (1200, 630) and shown.format == "JPEG"
        rgb = shown.convert("RGB")
        # The green band fills the middle of the card from edge to edge; the top of the photo
        # (red) and its bottom (blue) are what is cut away, at most a sliver of each is left.
        for point in [(600, 315), (10, 315), (1190, 315), (600, 230), (600, 400)]:
            assert close(rgb.getpixel(point), GREEN), (size, point, rgb.getpixel(point))
        column = [rgb.getpixel((600, y)) for y in range(0, 630, 10)]
        red, green, blue = (sum(close(p, c) for p in column) for c in (RED, GREEN, BLUE))
        assert abs(red - blue) <= 1 and green > red + blue, (red, green, blue)  # cut evenly about the centre


def test_a_wide_cover_keeps_its_centre_too(tmp_path: Path) -> None:
    picture = make(tmp_path, jpeg(banded(3000, 800, across=False)))
    with Image.open(picture) as shown:
        rgb = shown.convert("RGB")
        assert shown.size == (1200, 630)
        assert close(rgb.getpixel((600, 315)), GREEN)
        assert close(rgb.getpixel((600, 5)), GREEN) and close(rgb.getpixel((600, 624)), GREEN)


def test_a_phone_photo_stored_sideways_is_cut_upright(tmp_path: Path) -> None:
    """Phones store a portrait photo sideways with an EXIF orientation: the card shows it upright."""
    stored = banded(1600, 900, across=False)  # a green column; turned upright (6: 90° clockwise), a green row
    picture = make(tmp_path, with_exif(stored, orientation=6))
    with Image.open(picture) as shown:
        rgb = shown.convert("RGB")
        assert close(rgb.getpixel((5, 315)), GREEN) and close(rgb.getpixel((1194, 315)), GREEN)


def test_the_picture_carries_no_metadata(tmp_path: Path) -> None:
    picture = make(tmp_path, with_exif(banded(1080, 1920), gps=True))
    data = picture.read_bytes()
    with Image.open(picture) as shown:
        assert not shown.getexif() and "exif" not in shown.info
        assert "xmp" not in shown.info and "comment" not in shown.info
    assert b"Exif" not in data and b"ns.adobe.com/xap" not in data and b"PhoneMaker" not in data
    assert b"Chup tai truong" not in data and b"dia diem" not in data


def test_a_transparent_cover_is_shown_on_white(tmp_path: Path) -> None:
    drawing = Image.new("RGBA", (800, 800), (0, 0, 0, 0))
    drawing.paste((20, 180, 60, 255), (350, 350, 450, 450))
    out = io.BytesIO()
    drawing.save(out, "PNG")
    picture = make(tmp_path, out.getvalue(), "hinh-ve.png")
    with Image.open(picture) as shown:
        rgb = shown.convert("RGB")
        assert close(rgb.getpixel((20, 20)), (255, 255, 255), 10)  # not black
        assert close(rgb.getpixel((600, 315)), GREEN)


def test_a_cover_is_made_once_and_again_when_it_changes(tmp_path: Path) -> None:
    source = tmp_path / "bia.jpg"
    source.write_bytes(jpeg(banded(1080, 1920)))
    cache = share_image.ShareCache(tmp_path / "cache")
    first = cache.picture(source)
    made = first.stat().st_mtime_ns
    assert cache.picture(source) == first and first.stat().st_mtime_ns == made
    source.write_bytes(jpeg(banded(1920, 1080)))
    assert cache.picture(source) != first


def test_a_file_that_is_no_picture_gives_no_share_picture(tmp_path: Path) -> None:
    source = tmp_path / "bia.jpg"
    source.write_bytes(b"<html>trang web luu nham</html>")
    assert share_image.ShareCache(tmp_path / "cache").pictures([source]) == {source: None}


# --- In a real build ------------------------------------------------------------------------------


def meta(html: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return found[1] if found else None


def published(build: Build, url: str) -> Path:
    assert url.startswith("https://truong-thu.example/"), url
    return build.site / url.removeprefix("https://truong-thu.example/")


@pytest.fixture
def covers_build(site) -> Build:
    portrait = with_exif(banded(1080, 1920))  # a phone photo, without a position (which is refused)
    root = site(
        {
            "2026/2026-11-20-doc.md": post(
                "Ảnh dọc", image="anh-doc.jpg", image_alt="Các bé trên sân trường"
            ),
            "2026/anh-doc.jpg": portrait,
            "2026/2026-11-21-tu-web.md": post("Ảnh trên mạng", image="https://anh.example/bia.jpg"),
            "2026/2026-11-22-khong-anh.md": post("Không ảnh"),
        }
    )
    build = run_build(root)
    assert build.code == 0, build.log
    return build


def test_a_portrait_covers_link_card_shows_its_centre_at_1200_by_630(covers_build: Build) -> None:
    page = covers_build.page("bai-viet/anh-doc")
    image = meta(page, "og:image")
    assert image == "https://truong-thu.example/anh-chia-se/anh-doc.jpg"
    assert meta(page, "og:image:width") == "1200" and meta(page, "og:image:height") == "630"
    assert meta(page, "twitter:image") == image and meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:image:alt") == "Các bé trên sân trường"
    with Image.open(published(covers_build, image)) as shown:
        assert shown.size == (1200, 630) and shown.format == "JPEG"
        assert not shown.getexif() and "xmp" not in shown.info
        assert close(shown.convert("RGB").getpixel((600, 315)), GREEN)
        assert close(shown.convert("RGB").getpixel((10, 315)), GREEN)
    with Image.open(covers_build.site / "bai-viet/2026/anh-doc.jpg") as cover:  # the page shows it whole
        assert cover.size[0] < cover.size[1]


def test_a_cover_on_the_web_is_shared_as_it_is(covers_build: Build) -> None:
    page = covers_build.page("bai-viet/anh-tren-mang")
    assert meta(page, "og:image") == "https://anh.example/bia.jpg"
    assert meta(page, "og:image:width") is None  # its size is not known: no size is claimed
    assert not any(p.name.startswith("anh-tren-mang") for p in (covers_build.site / "anh-chia-se").iterdir())


def test_only_posts_with_a_cover_file_get_a_share_picture(covers_build: Build) -> None:
    assert sorted(p.name for p in (covers_build.site / "anh-chia-se").iterdir()) == ["anh-doc.jpg"]
    assert meta(covers_build.page("bai-viet/khong-anh"), "og:image") is None  # the site has no picture


def test_the_sample_posts_cover_is_shared_as_a_1200_by_630_picture(sample_build: Build) -> None:
    assert sample_build.code == 0, sample_build.log
    page = sample_build.page("bai-viet/huong-ung-thang-hanh-dong-vi-binh-dang-gioi-nam-2026")
    image = meta(page, "og:image")
    assert image is not None and image.endswith(
        "/anh-chia-se/huong-ung-thang-hanh-dong-vi-binh-dang-gioi-nam-2026.jpg"
    )
    assert meta(page, "og:image:width") == "1200" and meta(page, "og:image:height") == "630"
    with Image.open(sample_build.site / "anh-chia-se" / image.rsplit("/", 1)[1]) as shown:
        assert shown.size == (1200, 630) and not shown.getexif()


# --- The page's title ------------------------------------------------------------------------------


def titles(site: Path) -> dict[str, str]:
    out = {}
    for path in sorted(site.rglob("index.html")):
        found = re.search(r"<title>([^<]*)</title>", path.read_text(encoding="utf-8"))
        if found:
            out[path.parent.relative_to(site).as_posix()] = found[1]
    return out


def test_no_page_title_repeats_the_sites_name(sample_build: Build) -> None:
    found = titles(sample_build.site)
    assert found["."] == "Chuyên mục Bình đẳng giới - Trường Mầm non Hoa Sen (trang mẫu)"
    assert found["luu-tru"] == "Lưu trữ - Chuyên mục Bình đẳng giới"
    repeated = {url: title for url, title in found.items() if title.count("Chuyên mục Bình đẳng giới") > 1}
    assert repeated == {}


def test_a_front_page_titled_like_the_site_is_not_titled_twice(covers_build: Build) -> None:
    assert titles(covers_build.site)["."] == "Trường thử"
    assert titles(covers_build.site)["bai-viet/anh-doc"] == "Ảnh dọc - Trường thử"
