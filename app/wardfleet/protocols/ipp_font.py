"""A tiny built-in bitmap font (5×7 cells plus a descender row) for the test page.

Drawn for Wardfleet, printable ASCII only; accented letters are composed from a base
letter and a mark (NFD), so "Station Süd" and Welsh "ŵ" print. Anything else is
transliterated or becomes "?". Glyph rows are 5-bit masks, leftmost column = 16.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

WIDTH = 5
HEIGHT = 10  # 2 rows for accents on capitals, 7 for the body, 1 for descenders
ADVANCE = WIDTH + 1
_TOP = 2  # body row 0 sits at cell row 2

# 95 glyphs, " " to "~", 8 rows each (7 body + 1 descender), two hex digits a row.
_TABLE = (
    "000000000000000004040404040004000a0a0a00000000000a0a1f0a1f0a0a00040f140e051e04001819020408130300"
    "0c12140815120d000404040000000000020408080804020008040202020408000004150e150400000004041f04040000"
    "00000000000404080000001f00000000000000000000040000010204081000000e11131519110e00040c040404040e00"
    "0e11010204081f001f02040201110e0002060a121f0202001f101e0101110e000608101e11110e001f01020408080800"
    "0e11110e11110e000e11110f01020c0000000400000400000000040000040408020408100804020000001f001f000000"
    "08040201020408000e110102040004000e11171517100e000e11111f111111001e11111e11111e000e11101010110e00"
    "1e11111111111e001f10101e10101f001f10101e101010000e11101711110f001111111f111111000e04040404040e00"
    "0702020202120c0011121418141211001010101010101f00111b15151111110011111915131111000e11111111110e00"
    "1e11111e101010000e11111115120d001e11111e141211000f10100e01011e001f040404040404001111111111110e00"
    "11111111110a04001111111515150a0011110a040a11110011110a04040404001f01020408101f000e08080808080e00"
    "00100804020100000e02020202020e00040a1100000000000000000000001f00080400000000000000000e010f110f00"
    "1010161911111e0000000e1010110e0001010d1311110f0000000e111f100e000609081c0808080000000f11110f010e"
    "101016191111110004000c0404040e00020006020202120c10101214181412000c04040404040e0000001a1515151500"
    "000016191111110000000e1111110e0000001e11111e101000000f11110f0101000016191010100000000f100e011e00"
    "08081c08080906000000111111130d0000001111110a04000000111115150a000000110a040a110000001111110f010e"
    "00001f0204081f000204040804040200040404040404040008040402040408000000081502000000"
)
_GLYPHS = {
    chr(32 + i): bytes.fromhex(_TABLE[i * 16 : i * 16 + 16]) for i in range(len(_TABLE) // 16)
}

# Combining mark → (row above -2, row above -1) or, for marks below, the descender row.
_MARKS_ABOVE = {
    "\u0300": (0b01000, 0b00100),  # grave
    "\u0301": (0b00010, 0b00100),  # acute
    "\u0302": (0b00100, 0b01010),  # circumflex
    "\u0303": (0b01101, 0b10010),  # tilde
    "\u0304": (0b00000, 0b01110),  # macron
    "\u0306": (0b10001, 0b01110),  # breve
    "\u0307": (0b00000, 0b00100),  # dot above
    "\u0308": (0b00000, 0b01010),  # diaeresis
    "\u030a": (0b01110, 0b01010),  # ring
    "\u030b": (0b01010, 0b10100),  # double acute
    "\u030c": (0b01010, 0b00100),  # caron
}
_MARKS_BELOW = {"\u0327": 0b00110, "\u0328": 0b00011}  # cedilla, ogonek

_TRANSLITERATE = {
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l",
    "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "€": "EUR",
    "–": "-", "—": "-", "‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"',
    "…": "...", "·": ".", "°": "o", "×": "x", "\u00a0": " ", "\t": " ",
}  # fmt: skip


@lru_cache(maxsize=512)
def glyph(char: str) -> tuple[int, ...]:
    """HEIGHT row masks for one character (composed accents included)."""
    if char in _GLYPHS:
        return (0, 0, *_GLYPHS[char])
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[:1], decomposed[1:]
    if base not in _GLYPHS or not marks:
        return glyph("?")
    rows = [0, 0, *_GLYPHS[base]]
    # Lower-case bodies start at body row 2: their accent replaces the ascender rows
    # (and the dot of i and j), so accented lower case stays within the body height.
    low = base in "ij" or (rows[_TOP] == 0 and rows[_TOP + 1] == 0)
    if base in "ij":
        rows[_TOP] = rows[_TOP + 1] = 0
    at = 1 if low else 0  # one blank row between a lower-case accent and its letter
    for mark in marks:
        if mark in _MARKS_ABOVE:
            rows[at], rows[at + 1] = _MARKS_ABOVE[mark]
        elif mark in _MARKS_BELOW:
            rows[HEIGHT - 1] |= _MARKS_BELOW[mark]
    return tuple(rows)


def printable(text: str) -> str:
    """``text`` with every character the font cannot draw transliterated or "?"."""
    out = []
    for char in text:
        if char in _GLYPHS:
            out.append(char)
        elif char in _TRANSLITERATE:
            out.append(_TRANSLITERATE[char])
        elif unicodedata.category(char).startswith("C"):
            continue  # control characters from device text: drop
        else:
            out.append(char if glyph(char) != glyph("?") or char == "?" else "?")
    return "".join(out)


def render_line(text: str) -> list[bytes]:
    """HEIGHT rows of one pixel per byte (1 = ink), ADVANCE pixels per character."""
    text = printable(text)
    rows = []
    for r in range(HEIGHT):
        row = bytearray(len(text) * ADVANCE)
        for i, char in enumerate(text):
            mask = glyph(char)[r]
            if mask:
                x = i * ADVANCE
                for c in range(WIDTH):
                    if mask & (16 >> c):
                        row[x + c] = 1
        rows.append(bytes(row))
    return rows
