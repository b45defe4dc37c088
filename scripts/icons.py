"""Draws the home-screen icons in public/icons/ (run once when the design changes; the PNGs are
committed): a white figure on the brand's indigo, inside the middle 80 % so that a launcher's
mask (circle, squircle) never cuts it. Needs Pillow (scripts/setup.sh installs it in the
client venv)."""

from pathlib import Path

from PIL import Image, ImageDraw

INDIGO = (79, 70, 229)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "public" / "icons"


def draw(size: int) -> Image.Image:
    scale = 4  # drawn large, then scaled down: smooth edges without an anti-aliasing API
    s = size * scale
    image = Image.new("RGB", (s, s), INDIGO)
    d = ImageDraw.Draw(image)
    # A head and shoulders, centred in the safe zone.
    head_r = s * 0.12
    cx, head_cy = s / 2, s * 0.37
    d.ellipse((cx - head_r, head_cy - head_r, cx + head_r, head_cy + head_r), fill=WHITE)
    body_w, top, bottom = s * 0.44, s * 0.55, s * 0.74
    d.rounded_rectangle((cx - body_w / 2, top, cx + body_w / 2, bottom), radius=s * 0.11, fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
