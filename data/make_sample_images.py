"""Draws the sample's pictures: three post covers, the site's share image and an attached plan (PDF).

Drawings, never photographs (a kindergarten's sample must not show real children): flat
shapes and Vietnamese words, rendered with Pillow and DejaVu Sans (Debian's fonts-dejavu-core,
which `make test` installs). Run ``python data/make_sample_images.py`` from the repository root;
the files it writes are committed, so a build needs neither this script nor the fonts.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = Path("/usr/share/fonts/truetype/dejavu")
INK = (33, 33, 33)
PAPER = (255, 253, 245)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def person(
    draw: ImageDraw.ImageDraw, x: int, y: int, scale: float, body: tuple[int, int, int], skirt: bool
) -> None:
    """A figure of flat shapes: a head and a body, in a dress or in trousers."""
    head = int(28 * scale)
    draw.ellipse((x - head, y - 3 * head, x + head, y - head), fill=(245, 205, 170))
    if skirt:
        draw.polygon(
            [
                (x - head, y - head),
                (x + head, y - head),
                (x + 2 * head, y + 3 * head),
                (x - 2 * head, y + 3 * head),
            ],
            fill=body,
        )
    else:
        draw.rectangle((x - head, y - head, x + head, y + 2 * head), fill=body)
        draw.rectangle((x - head, y + 2 * head, x - 4, y + 4 * head), fill=(60, 70, 110))
        draw.rectangle((x + 4, y + 2 * head, x + head, y + 4 * head), fill=(60, 70, 110))


def cover(
    path: Path, title: str, subtitle: str, sky: tuple[int, int, int], people: list[tuple[int, float, bool]]
) -> None:
    image = Image.new("RGB", (1200, 675), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 470, 1200, 675), fill=(120, 180, 100))
    draw.ellipse((980, 60, 1110, 190), fill=(255, 214, 90))
    colors = [(220, 80, 110), (70, 130, 200), (240, 160, 60), (150, 90, 180), (60, 160, 150)]
    for index, (x, scale, skirt) in enumerate(people):
        person(draw, x, 480, scale, colors[index % len(colors)], skirt)
    draw.rounded_rectangle((60, 60, 880, 230), radius=24, fill=PAPER)
    draw.text((90, 85), title, font=font(46, bold=True), fill=INK)
    draw.text((90, 160), subtitle, font=font(30), fill=(90, 90, 90))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG", optimize=True)


def share_image(path: Path) -> None:
    """1,200 × 630: what Zalo and Facebook show for a page without its own cover."""
    image = Image.new("RGB", (1200, 630), (63, 81, 181))
    draw = ImageDraw.Draw(image)
    draw.ellipse((860, 170, 1140, 450), fill=(255, 255, 255))
    draw.ellipse((930, 240, 1070, 380), fill=(233, 30, 99))
    draw.text((80, 200), "Chuyên mục", font=font(60), fill=(255, 255, 255))
    draw.text((80, 280), "Bình đẳng giới", font=font(84, bold=True), fill=(255, 255, 255))
    draw.text((80, 400), "Trường Mầm non Hoa Sen (trang mẫu)", font=font(36), fill=(220, 225, 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG", optimize=True)


def plan_pdf(path: Path) -> None:
    """A one-page plan as the school would attach it (a drawing of a document, made into a PDF)."""
    page = Image.new("RGB", (1240, 1754), (255, 255, 255))  # A4 at 150 dpi
    draw = ImageDraw.Draw(page)
    lines = [
        ("TRƯỜNG MẦM NON HOA SEN (TRANG MẪU)", 30, True),
        ("KẾ HOẠCH", 44, True),
        ("Tổ chức Tháng hành động vì bình đẳng giới năm 2026", 32, False),
        ("(từ ngày 15/11 đến ngày 15/12/2026)", 28, False),
        ("", 20, False),
        ("I. MỤC ĐÍCH, YÊU CẦU", 30, True),
        ("Nâng cao nhận thức của cán bộ, giáo viên, cha mẹ trẻ về bình đẳng giới;", 26, False),
        ("phòng ngừa và ứng phó với bạo lực trên cơ sở giới.", 26, False),
        ("II. NỘI DUNG HOẠT ĐỘNG", 30, True),
        ("1. Sinh hoạt dưới cờ theo chủ đề bình đẳng giới.", 26, False),
        ("2. Góc tuyên truyền cho cha mẹ ở sảnh trường.", 26, False),
        ('3. Tọa đàm "Cha mẹ làm gương về bình đẳng giới".', 26, False),
        ("4. Đăng bài trên chuyên mục bình đẳng giới của trang web.", 26, False),
        ("III. TỔ CHỨC THỰC HIỆN", 30, True),
        ("Ban Giám hiệu chỉ đạo; các tổ chuyên môn thực hiện và báo cáo", 26, False),
        ("kết quả trước ngày 20/12/2026.", 26, False),
    ]
    y = 140
    for text, size, bold in lines:
        draw.text((120, y), text, font=font(size, bold), fill=INK)
        y += size + 34
    draw.text((760, y + 80), "HIỆU TRƯỞNG", font=font(28, True), fill=INK)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.save(
        path, "PDF", resolution=150.0, title="Kế hoạch Tháng hành động 2026", author="Trường Mầm non Hoa Sen"
    )


def main() -> None:
    cover(
        ROOT / "posts/2026/thang-hanh-dong-2026.png",
        "Tháng hành động 2026",
        "Cả trường cùng hưởng ứng, 15/11 – 15/12",
        (173, 216, 230),
        [(180, 1.2, True), (330, 1.0, False), (470, 0.7, True), (600, 0.7, False), (760, 1.2, False)],
    )
    cover(
        ROOT / "posts/2026/ngay-gia-dinh-2026.png",
        "Ngày hội Gia đình em",
        "Bố mẹ và bé cùng chơi, cùng làm việc nhà",
        (255, 228, 196),
        [(250, 1.2, False), (420, 0.7, True), (560, 1.2, True), (720, 0.7, False)],
    )
    cover(
        ROOT / "posts/2025/ngay-phu-nu-viet-nam-2025.png",
        "Ngày Phụ nữ Việt Nam 20/10",
        "Lời cảm ơn gửi các cô và các mẹ",
        (255, 205, 210),
        [(200, 1.2, True), (360, 1.2, True), (520, 0.7, True), (680, 0.7, False), (840, 1.2, True)],
    )
    share_image(ROOT / "docs/assets/chia-se.png")
    plan_pdf(ROOT / "posts/2026/ke-hoach-thang-hanh-dong-2026.pdf")
    for name in (
        "posts/2026/thang-hanh-dong-2026.png",
        "posts/2026/ngay-gia-dinh-2026.png",
        "posts/2025/ngay-phu-nu-viet-nam-2025.png",
        "docs/assets/chia-se.png",
        "posts/2026/ke-hoach-thang-hanh-dong-2026.pdf",
    ):
        print(name)


if __name__ == "__main__":
    main()
