"""Photos under posts/: made web-safe or refused by what the file holds, never by its name.

Small sites run through the Pages workflow's own build command: every photo that reaches site/
carries no metadata (no EXIF, XMP, comment or PNG text), whatever its format and suffix; other
images, files named like photos that are none, photos too large and originals that tell where
they were taken (a draft's too: the repository is public) stop the build, in Vietnamese, naming
the file, before anything is published.
"""

from __future__ import annotations

import io
import os
import re
import struct
import subprocess
from pathlib import Path

import pytest
from conftest import post, write_site
from PIL import Image, PngImagePlugin
from test_staff_mistakes import publish  # the Pages workflow's build step, run as on GitHub

from hooks import images
from hooks.messages import is_vietnamese

GPS = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 48.0, 12.0)}
XMP_GPS = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="21,0.5N" '
    'exif:GPSLongitude="105,48.2E"/></rdf:RDF></x:xmpmeta>'
)
XMP_PLAIN = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Camera"/></rdf:RDF></x:xmpmeta>'
)
# What no published photo may hold: EXIF and its GPS block, XMP, comments and PNG text chunks.
METADATA = (b"Exif", b"GPS", b"xmp", b"XMP", b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"PhoneMaker", b"bi mat")


def exif(gps: bool = False, orientation: int = 1) -> Image.Exif:
    """A phone's EXIF: maker, date and orientation; with ``gps``, where the photo was taken."""
    info = Image.Exif()
    info[271] = "PhoneMaker"
    info[306] = "2026:11:20 08:30:00"
    info[274] = orientation
    if gps:
        info[0x8825] = GPS
    return info


def picture(width: int = 400, height: int = 300) -> Image.Image:
    image = Image.new("RGB", (width, height), (180, 120, 90))
    for x in range(0, width, 40):  # a little detail, so that it is not one colour
        image.paste((20, 60, 140), (x, 0, x + 10, height // 3))
    return image


def encoded(fmt: str, image: Image.Image | None = None, **options: object) -> bytes:
    out = io.BytesIO()
    (image or picture()).save(out, fmt, **options)
    return out.getvalue()


def png_with_text(xmp: str = XMP_PLAIN) -> bytes:
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "bi mat")
    text.add_itxt("XML:com.adobe.xmp", xmp, zip=True)
    return encoded("PNG", pnginfo=text, exif=exif())


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (120, 90), color) for color in ((230, 40, 40), (40, 200, 40), (40, 40, 230))]
    out = io.BytesIO()
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], duration=300, loop=0, comment=b"bi mat"
    )
    return out.getvalue()


def damaged_exif() -> bytes:
    """A JPEG whose EXIF says its maker's name is 100 bytes beyond the end of the file (Pillow warns)."""
    entry = struct.pack("<HHII", 271, 2, 100, 0x1000)
    tiff = b"II*\x00" + struct.pack("<IH", 8, 1) + entry + struct.pack("<I", 0)
    return encoded("JPEG", exif=b"Exif\x00\x00" + tiff)


def large_png(width: int, height: int) -> bytes:
    """A photo of that many pixels, a few kilobytes on disk (one bit a pixel, all white)."""
    return encoded("PNG", Image.new("1", (width, height), 1))


def body(*names: str) -> str:
    return "\n\n".join(f"![Ảnh {number}]({name})" for number, name in enumerate(names, 1))


def output_of(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


@pytest.mark.build
def test_every_photo_format_reaches_the_site_without_metadata(tmp_path: Path) -> None:
    """JPEG under .jfif, .JPG and no photo name at all; AVIF, WebP, PNG with text, an animated GIF."""
    photos: dict[str, bytes] = {
        "tu-chrome.jfif": encoded(
            "JPEG", exif=exif(orientation=6), comment=b"bi mat", xmp=XMP_PLAIN.encode()
        ),
        "IMG_0002.JPG": encoded("JPEG", exif=exif()),
        "anh.avif": encoded("AVIF", exif=exif(), xmp=XMP_PLAIN.encode()),
        "anh.webp": encoded("WEBP", exif=exif(), xmp=XMP_PLAIN.encode()),
        "so-do.png": png_with_text(),
        "chuc-mung.gif": animated_gif(),
        "that-ra-la-png.jpg": png_with_text(),  # a PNG named .jpg: published as the JPEG its name promises
        "exif-hong.jpg": damaged_exif(),  # Pillow's English warning about it never reaches staff
    }
    files: dict[str, str | bytes] = {f"2026/{name}": raw for name, raw in photos.items()}
    # A JPEG under no photo suffix is a JPEG all the same: published, and cleaned.
    files["2026/anh-tu-zalo.txt"] = encoded("JPEG", exif=exif())
    files["2026/hoi-thi.md"] = post(
        "Hội thi", "2026-11-20", image="tu-chrome.jfif", body=body(*photos) + "\n\n[Ảnh gốc](anh-tu-zalo.txt)"
    )
    root = write_site(tmp_path / "site", files, docs={"index.md": "# Chuyên mục\n"})

    result = publish(root)

    assert result.returncode == 0, output_of(result)
    assert "Traceback" not in output_of(result) and "Warning" not in output_of(result)
    published = root / "site" / "bai-viet" / "2026"
    for name in [*photos, "anh-tu-zalo.txt"]:
        raw = (published / name).read_bytes()
        assert not [marker for marker in METADATA if marker in raw], name
        with Image.open(published / name) as image:
            assert not image.getexif(), name
            assert not {"exif", "xmp", "comment", "Comment", "XML:com.adobe.xmp"} & set(image.info), name
            kinds = {
                "tu-chrome.jfif": "JPEG",
                "IMG_0002.JPG": "JPEG",
                "anh.avif": "AVIF",
                "anh.webp": "WEBP",
                "so-do.png": "PNG",
                "chuc-mung.gif": "GIF",
                "that-ra-la-png.jpg": "JPEG",
                "exif-hong.jpg": "JPEG",
                "anh-tu-zalo.txt": "JPEG",
            }
            assert image.format == kinds[name], name
            if name == "chuc-mung.gif":
                assert getattr(image, "n_frames", 1) == 3  # the animation is kept
            if name == "tu-chrome.jfif":
                assert image.size == (300, 400)  # turned upright before its EXIF went
        assert (root / "posts" / "2026" / name).read_bytes() != raw  # the original is never published
    html = (root / "site/bai-viet/hoi-thi/index.html").read_text(encoding="utf-8")
    assert re.search(r'src="../2026/anh.avif" width="400" height="300"', html)
    assert re.search(r'src="../2026/chuc-mung.gif" width="120" height="90"', html)


@pytest.mark.build
def test_an_icc_colour_profile_is_the_one_thing_kept(tmp_path: Path) -> None:
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    raw = encoded("JPEG", exif=exif(), icc_profile=profile)
    root = write_site(
        tmp_path / "site",
        {"2026/a.md": post("Bài A", "2026-11-20", body=body("mau.jpg")), "2026/mau.jpg": raw},
        docs={"index.md": "# Chuyên mục\n"},
    )
    result = publish(root)
    assert result.returncode == 0, output_of(result)
    with Image.open(root / "site/bai-viet/2026/mau.jpg") as image:
        assert image.info.get("icc_profile") == profile and not image.getexif()


@pytest.mark.build
def test_images_the_site_does_not_publish_are_refused_by_name_in_vietnamese(tmp_path: Path) -> None:
    refused = {
        "scan.tiff": (encoded("TIFF"), "ảnh TIFF: trang chỉ đăng ảnh JPEG, PNG, WebP, AVIF và GIF"),
        "ve.bmp": (encoded("BMP"), "ảnh BMP: trang chỉ đăng ảnh JPEG, PNG, WebP, AVIF và GIF"),
        "IMG_1234.heic": (
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64),
            "ảnh HEIC của iPhone",
        ),
        # HEIC under a JPEG name is still HEIC: the content decides.
        "IMG_1235.jpg": (
            b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic" + bytes(64),
            "ảnh HEIC của iPhone",
        ),
        "trang-web.jpg": (
            b"<!doctype html><html><body><script>alert(1)</script></body></html>",
            "không mở được ảnh: tệp có đuôi .jpg nhưng nội dung không phải ảnh",
        ),
        "hong.jpg": (encoded("JPEG")[:300], "không mở được ảnh: tệp hỏng"),
        "toan-canh.png": (large_png(11000, 12000), "ảnh quá lớn (11000 × 12000 = 132 triệu điểm ảnh"),
        "ban-do.png": (large_png(16000, 16000), "ảnh quá lớn (hơn 240 triệu điểm ảnh"),
    }
    files: dict[str, str | bytes] = {f"2026/{name}": raw for name, (raw, _) in refused.items()}
    files["2026/ke-hoach.pdf"] = b"%PDF-1.4 not an image, and not looked at as one"
    files["2026/a.md"] = post("Bài A", "2026-11-20", body=body(*refused), attachments="[ke-hoach.pdf]")
    root = write_site(tmp_path / "site", files, docs={"index.md": "# Chuyên mục\n"})

    result = publish(root)

    output = output_of(result)
    assert result.returncode == 1, output
    for name, (_, phrase) in refused.items():
        assert f"posts/2026/{name}: {phrase}" in output, (name, output)
    assert "ke-hoach.pdf" not in output
    assert "hãy mở ảnh rồi lưu lại thành JPEG" in output and "tải lên lại" in output
    # Pillow's English warning about decompression bombs never reaches staff.
    assert "DecompressionBomb" not in output and "pixels" not in output and "Traceback" not in output
    assert [line for line in output.splitlines() if "posts/2026/" in line and not is_vietnamese(line)] == []
    assert not (root / "site" / "index.html").exists()


@pytest.mark.build
def test_a_photo_that_tells_where_it_was_taken_stops_the_build(tmp_path: Path) -> None:
    """GitHub's web upload keeps every byte: the original in the public repository has the position."""
    files: dict[str, str | bytes] = {
        "2026/a.md": post("Bài A", "2026-11-20", image="IMG_0001.jpg", body=body("tre-em.jfif", "so-do.png")),
        "2026/IMG_0001.jpg": encoded("JPEG", exif=exif(gps=True, orientation=6)),
        "2026/tre-em.jfif": encoded("JPEG", exif=exif(gps=True)),
        "2026/so-do.png": png_with_text(XMP_GPS),  # a position in XMP (compressed PNG text) only
        "2026/khong-vi-tri.jpg": encoded("JPEG", exif=exif()),  # other metadata is fine
        # A draft's photo waits to be published, but it is in the repository already.
        "2026/nhap.md": post("Nháp", "2026-11-21", draft="true", image="nhap.avif"),
        "2026/nhap.avif": encoded("AVIF", exif=exif(gps=True)),
    }
    root = write_site(tmp_path / "site", files, docs={"index.md": "# Chuyên mục\n"})

    result = publish(root)

    output = output_of(result)
    assert result.returncode == 1, output
    for name in ("IMG_0001.jpg", "tre-em.jfif", "so-do.png", "nhap.avif"):
        assert f"posts/2026/{name}: ảnh gốc còn vị trí GPS nơi chụp" in output, (name, output)
    assert "khong-vi-tri.jpg" not in output
    assert "Delete file" in output and "lịch sử" in output and "Hướng dẫn" in output
    assert "KHÔNG ĐĂNG" in output and not (root / "site" / "index.html").exists()


@pytest.mark.build
def test_a_heic_with_a_position_says_both(tmp_path: Path) -> None:
    """Pillow can't read HEIC: its EXIF item is read as bytes (what an iPhone puts there)."""
    item = exif(gps=True).tobytes()  # "Exif\0\0" and the TIFF-form block, as in a HEIC's Exif item
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(40) + b"\x00\x00\x00\x06" + item
    root = write_site(
        tmp_path / "site",
        {"2026/a.md": post("Bài A", "2026-11-20", image="IMG_4000.HEIC"), "2026/IMG_4000.HEIC": heic},
        docs={"index.md": "# Chuyên mục\n"},
    )
    result = publish(root)
    output = output_of(result)
    assert result.returncode == 1, output
    line = next(line for line in output.splitlines() if "posts/2026/IMG_4000.HEIC:" in line)
    assert "vị trí GPS" in line and "ảnh HEIC của iPhone" in line


# --- the pure parts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (encoded("JPEG"), "JPEG"),
        (encoded("PNG"), "PNG"),
        (encoded("GIF"), "GIF"),
        (encoded("WEBP"), "WEBP"),
        (encoded("AVIF"), "AVIF"),
        (encoded("TIFF"), "TIFF"),
        (encoded("BMP"), "BMP"),
        (encoded("ICO", Image.new("RGB", (32, 32))), "ICO"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIC"),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf", "AVIF"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", None),  # a video
        (b"%PDF-1.7\n", None),
        (b"PK\x03\x04\x14\x00", None),  # a Word file
        (b"BMI cua lop 5A.\n", None),
        (b"<!doctype html>", None),
    ],
)
def test_the_format_is_read_from_the_first_bytes(raw: bytes, kind: str | None) -> None:
    assert images.sniff(raw[:64]) == kind


@pytest.mark.parametrize(
    ("gps", "expected"),
    [
        (GPS, True),
        ({2: (21.0, 1.0, 30.0)}, True),
        ({0: b"\x02\x02\x00\x00"}, False),  # a version and nothing else: location was off
        ({1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)}, False),  # zeros: no fix
        ({29: "2026:11:20"}, False),
    ],
)
def test_a_position_is_a_latitude_or_longitude(gps: dict[int, object], expected: bool) -> None:
    assert images.has_position(gps) is expected


def test_a_position_is_looked_for_once_per_photo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second build (make build again, or CI with .cache/images restored) only hashes the photo."""
    photo = tmp_path / "posts" / "anh.jpg"
    photo.parent.mkdir()
    photo.write_bytes(encoded("JPEG", exif=exif()))
    first = images.ImageCache(tmp_path / "cache").web_images([photo])
    assert isinstance(first[photo], images.WebImage)

    def never(path: Path) -> bool:
        raise AssertionError(f"{path} looked at again")

    monkeypatch.setattr(images, "position_in", never)
    os.utime(photo, ns=(1, 1))  # a fresh checkout: new file times, same bytes
    again = images.ImageCache(tmp_path / "cache").web_images([photo])
    assert again[photo] == first[photo]
