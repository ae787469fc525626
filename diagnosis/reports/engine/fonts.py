"""The report font: Noto Sans CJK SC cut down to the characters reports print, built once.

WeasyPrint subsets every font it embeds, per PDF, with HarfBuzz; for the 20 MB Noto Sans CJK
collection (65,535 glyphs, glyph ids kept) that takes ~60 ms and leaves ~300 kB of font in the
PDF. "Zhizao Sans" is the Simplified Chinese face of that collection reduced to GB 2312 (every
hanzi of everyday text), Latin, punctuation and symbol blocks, and every character of the
questionnaires and report templates: subsetting it per PDF takes a third of the time and the PDF
is ~100 kB smaller. The stylesheet names Noto Sans CJK SC right after it, so any character a
user types that GB 2312 lacks (rare hanzi in enterprise or person names, say) still renders,
from the full font.

Built by ``diagnosis fonts build`` (``make setup`` runs it) into the report assets; without it
the reports render with Noto Sans CJK SC alone, slower, and a warning is logged. Noto Sans CJK is
under the SIL Open Font License 1.1, which allows this modified, renamed version; its copyright
and license entries are kept in the font.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from ..paths import ASSETS_DIR, PROJECT_ROOT

FAMILY = "Zhizao Sans"
SOURCE_FAMILY = "Noto Sans CJK SC"
FONT_PATH = ASSETS_DIR / "fonts" / "ZhizaoSans-Regular.otf"
#: What the built font holds beyond GB 2312 and the project's own texts.
BLOCKS = ((0x20, 0x7E), (0xA0, 0x17F), (0x2000, 0x206F), (0x2100, 0x22FF), (0x2460, 0x25FF),
          (0x3000, 0x303F), (0xFF00, 0xFFEF))
#: Files whose characters the font must hold (questions, rules, templates, code with labels).
TEXT_SOURCES = ("questionnaires/*.yaml", "reports/**/*.html", "reports/*.css", "diagnosis/**/*.py")

LAYOUT_FEATURES = ("ccmp", "rlig", "mark", "mkmk", "calt", "clig", "curs", "kern", "liga", "rclt", "dist")

FONT_FACE_CSS = f'@font-face {{ font-family: "{FAMILY}"; src: url("fonts/{FONT_PATH.name}"); }}'
#: Added to the print stylesheet when the font is built. Only then: naming a family Fontconfig
#: does not know makes it fill in other fonts (DejaVu Sans, Noto Sans CJK JP) for some characters.
FAMILY_CSS = f'html {{ font-family: "{FAMILY}", "{SOURCE_FAMILY}", sans-serif; }}'
SVG_FAMILY = f"'{FAMILY}', '{SOURCE_FAMILY}', sans-serif"


def available() -> bool:
    return FONT_PATH.is_file()


def source_font() -> tuple[str, int]:
    """File and collection index of Noto Sans CJK SC, as Fontconfig finds it."""
    out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{family}", SOURCE_FAMILY],
                         check=True, capture_output=True, text=True).stdout.split("\n")
    if SOURCE_FAMILY not in out[2].split(","):
        raise FileNotFoundError(f"{SOURCE_FAMILY} is not installed (Debian package fonts-noto-cjk)")
    return out[0], int(out[1] or 0)


def coverage(root: Path | None = None) -> set[int]:
    """Code points the report font holds."""
    root = root or PROJECT_ROOT
    points = {cp for start, end in BLOCKS for cp in range(start, end + 1)}
    for cp in range(0x4E00, 0xA000):
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        points.add(cp)
    for pattern in TEXT_SOURCES:
        for path in root.glob(pattern):
            points.update(ord(c) for c in path.read_text("utf-8") if ord(c) >= 0x20)
    return points


def build(target: Path = FONT_PATH) -> Path:
    """Write the report font (takes about half a minute)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path, index = source_font()
    # No timestamp update on save: the same sources give the same file (its bytes are part of
    # the report template hash, fingerprint.template_hash).
    font = TTFont(path, fontNumber=index, lazy=False, recalcTimestamp=False)
    options = subset.Options()
    # The features HarfBuzz applies to horizontal Chinese text; without vertical forms and the
    # Japanese/Korean/Traditional "locl" variants the font keeps half as many glyphs.
    options.layout_features = list(LAYOUT_FEATURES)
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.drop_tables += ["DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=coverage())
    subsetter.subset(font)
    name = font["name"]
    for record in list(name.names):
        if record.nameID in (1, 4, 16):
            name.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            name.setName(FAMILY.replace(" ", "") + "-Regular", 6, record.platformID, record.platEncID, record.langID)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    font.save(partial)
    partial.replace(target)
    return target
