"""Photo benchmark: a column of --posts posts with one phone-size photo each (4,000 × 3,000 JPEG,
generated), built with `python -m hooks.site build`, against the same site without the photos.

Three builds are timed, each a fresh process, median of --runs:
- without photos: the same posts, no image in them;
- first build: every photo made web-safe (hooks/images.py), the cache empty;
- with the cache: .cache/images as the previous build left it (what `make build` twice does,
  and what the Pages workflow gets from actions/cache), and "as in CI": the cache kept but
  its index of file times cleared, so every photo is hashed again (a fresh checkout).
Target: the build with the cache within 1.2 × the build without photos. Writes bench/PHOTOS.md.

Run: ``make bench-photos`` or ``.venv/bin/python bench/photos.py [--posts 200] [--runs 3]``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import io
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = ROOT / ".venv" / "bin"
TARGET = 1.2


def photo(number: int, width: int = 4000, height: int = 3000) -> bytes:
    """A phone-like JPEG: sensor noise over shapes, so it is as large as a real one (2-4 MB)."""
    rng = random.Random(number)
    noise = Image.effect_noise((width // 4, height // 4), 40).resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(noise, "RGBA")
    for _ in range(30):
        x, y = rng.randrange(width), rng.randrange(height)
        color = (rng.randrange(256), rng.randrange(256), rng.randrange(256), 120)
        draw.ellipse((x, y, x + rng.randrange(200, 1200), y + rng.randrange(200, 1200)), fill=color)
    exif = Image.Exif()
    exif[274] = rng.choice((1, 6))  # some taken upright, some on their side
    exif[271], exif[306] = "PhoneMaker", "2026:11:20 08:30:00"
    # No GPS position: an original with one stops the build (hooks/images.py), as it should.
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def make_site(folder: Path, posts: int, photos: bool) -> None:
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Chuyên mục\n", encoding="utf-8")
    config = f"""site_name: Ảnh
site_url: https://truong.example/
theme:
  name: material
  language: vi
  font: false
  custom_dir: {ROOT / "overrides"}
plugins: []
hooks:
  - {ROOT / "hooks" / "column_hooks.py"}
  - {ROOT / "hooks" / "coverage_hooks.py"}
extra:
  coverage:
    start: 2023-Q1
"""
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    for number in range(posts):
        year = 2023 + number % 4
        day = f"{year}-{1 + number % 12:02d}-{1 + number % 27:02d}"
        folder_posts = folder / "posts" / str(year)
        folder_posts.mkdir(parents=True, exist_ok=True)
        image = f"\n\n![Hoạt động số {number}](anh-{number}.jpg)" if photos else ""
        text = f"---\ntitle: Hoạt động số {number}\ndate: {day}\n---\n\nBài viết về hoạt động số {number}.{image}\n"
        (folder_posts / f"{day}-hoat-dong-{number}.md").write_text(text, encoding="utf-8")


def write_photos(folder: Path, posts: int) -> int:
    def one(number: int) -> int:
        data = photo(number)
        (folder / "posts" / str(2023 + number % 4) / f"anh-{number}.jpg").write_bytes(data)
        return len(data)

    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        return sum(pool.map(one, range(posts)))


def build(site: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    env.pop("SITE_URL", None)
    started = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "python"), "-m", "hooks.site", "build"], cwd=site, env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(done.stderr)
    return wall


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=str(HERE / "PHOTOS.md"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-photos-") as tmp:
        plain, with_photos = Path(tmp) / "plain", Path(tmp) / "photos"
        make_site(plain, args.posts, photos=False)
        make_site(with_photos, args.posts, photos=True)
        started = time.perf_counter()
        total = write_photos(with_photos, args.posts)
        print(
            f"{args.posts} photos, {total / 2**20:.0f} MiB, written in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        cache = with_photos / ".cache" / "images"
        without, first, cached, fresh = [], [], [], []
        for _ in range(args.runs):
            without.append(build(plain))
            shutil.rmtree(cache, ignore_errors=True)
            first.append(build(with_photos))
            cached.append(build(with_photos))
            (cache / "index.json").unlink()  # a fresh checkout: file times unknown, contents hashed
            fresh.append(build(with_photos))
        site = with_photos / "site"
        published = sum(p.stat().st_size for p in site.rglob("*.jpg"))
    med = {
        name: statistics.median(runs)
        for name, runs in (("without", without), ("first", first), ("cached", cached), ("fresh", fresh))
    }
    ratio, ratio_ci = med["cached"] / med["without"], med["fresh"] / med["without"]
    lines = [
        "# Photo benchmark",
        "",
        f"`make bench-photos` ({time.strftime('%Y-%m-%d')}): {args.posts} posts, each with one generated phone photo "
        f"(4,000 × 3,000 JPEG with EXIF orientation, make and date; {total / 2**20:.0f} MiB in all), built with "
        f"`python -m hooks.site build`, median of {args.runs} (each a fresh process). Machine: {machine()}.",
        "",
        "| build | median | runs (s) |",
        "|---|---:|---|",
        f"| the same site without photos | {med['without']:.2f} s | {', '.join(f'{r:.2f}' for r in without)} |",
        f"| first build (every photo made web-safe) | {med['first']:.2f} s | {', '.join(f'{r:.2f}' for r in first)} |",
        f"| with the cache (`make build` again) | {med['cached']:.2f} s | {', '.join(f'{r:.2f}' for r in cached)} |",
        f"| with the cache, file times unknown (a fresh checkout, as in CI) | {med['fresh']:.2f} s | {', '.join(f'{r:.2f}' for r in fresh)} |",
        "",
        "| measure | value | target | met |",
        "|---|---:|---|---|",
        f"| with the cache / without photos | {ratio:.2f} | ≤ {TARGET} | {'yes' if ratio <= TARGET else '**no**'} |",
        f"| with the cache in CI / without photos | {ratio_ci:.2f} | (for reference) | — |",
        "",
        f"The published photos weigh {published / 2**20:.1f} MiB in all ({published / total:.1%} of the originals), "
        "each at most 1,600 px on its long side, upright, with no EXIF data.",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
