"""A one-page test page in a format the printer lists: PWG raster, Apple raster (URF),
PDF or plain text, made in pure Python.

The page says which device, ward and time it was printed for, and nothing else: no
patient data can end up on it. Raster pages are drawn with the built-in bitmap font.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from wardfleet.protocols import ipp_font
from wardfleet.protocols.ipp_codec import Attribute, Resolution
from wardfleet.protocols.ipp_status import text, texts

PWG_RASTER = "image/pwg-raster"
URF = "image/urf"
PDF = "application/pdf"
TEXT = "text/plain"
PREFERRED_FORMATS = (PWG_RASTER, URF, PDF, TEXT)

A4_MM = (210.0, 297.0)
_MEDIA_SIZE = re.compile(r"_(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm|in)$")


class TestPageError(ValueError):
    """No format both sides understand, or a page we cannot make."""


@dataclass(frozen=True, slots=True)
class TestPage:
    title: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join((self.title, "", *self.lines)) + "\n"


@dataclass(frozen=True, slots=True)
class RasterSpec:
    """How to draw: resolution and the colour space the printer asked for."""

    dpi: int = 300
    kind: str = "sgray_8"  # black_1, sgray_8, srgb_8 (PWG names; URF W8 = sgray_8)
    media: str = "iso_a4_210x297mm"

    @property
    def size_mm(self) -> tuple[float, float]:
        return media_size_mm(self.media)


def media_size_mm(media: str | None) -> tuple[float, float]:
    """``iso_a4_210x297mm`` → (210, 297); A4 when the name has no size in it."""
    match = _MEDIA_SIZE.search(media or "")
    if not match:
        return A4_MM
    w, h, unit = float(match[1]), float(match[2]), match[3]
    scale = 25.4 if unit == "in" else 1.0
    return (w * scale, h * scale)


def choose_format(supported: Sequence[str]) -> str:
    """The first of PREFERRED_FORMATS the printer lists; PDF and text only when listed."""
    listed = {f.split(";")[0].strip().lower() for f in supported}
    for fmt in PREFERRED_FORMATS:
        if fmt in listed:
            return fmt
    shown = ", ".join(sorted(listed)) or "none"
    raise TestPageError(
        f"the printer lists no format Wardfleet can make a test page in (it lists: {shown})"
    )


def plan(
    attrs: Mapping[str, Attribute],
    *,
    uri: str,
    ward: str | None,
    device_name: str | None,
    when: datetime,
    sent_from: str | None,
) -> tuple[str, RasterSpec, TestPage]:
    """Format, raster settings and wording of a test page for a printer's attributes."""
    fmt = choose_format(texts(attrs, "document-format-supported"))
    media = text(attrs, "media-default")
    detail = ""
    if fmt == PWG_RASTER:
        resolutions = attrs.get("pwg-raster-document-resolution-supported")
        dpis = [
            v.x for v in (resolutions.all() if resolutions else ()) if isinstance(v, Resolution)
        ]
        spec = pwg_spec(dpis, texts(attrs, "pwg-raster-document-type-supported"), media)
        detail = f", {spec.dpi} dpi, {spec.kind}"
    elif fmt == URF:
        spec = urf_spec(texts(attrs, "urf-supported"), media)
        detail = f", {spec.dpi} dpi, {spec.kind}"
    else:
        spec = RasterSpec(media=media or "iso_a4_210x297mm")
    name = device_name or text(attrs, "printer-info") or text(attrs, "printer-name")
    lines = (
        f"Printer: {name or 'not named'}",
        f"Make and model: {text(attrs, 'printer-make-and-model') or 'not reported'}",
        f"Ward: {ward or 'not set'}",
        f"Location: {text(attrs, 'printer-location') or 'not reported'}",
        f"Printed: {when.strftime('%Y-%m-%d %H:%M %Z').strip()}",
        f"Address: {uri}",
        f"Sent from: {sent_from}" if sent_from else "",
        f"Format: {fmt}{detail}",
        "If you can read this, printing from Wardfleet works.",
    )
    return fmt, spec, TestPage("Wardfleet test page", tuple(line for line in lines if line))


def pwg_spec(resolutions: Sequence[int], types: Sequence[str], media: str | None) -> RasterSpec:
    dpi = 300 if 300 in resolutions or not resolutions else min(resolutions)
    kind = next((k for k in ("black_1", "sgray_8", "srgb_8") if k in types), None)
    if kind is None:
        raise TestPageError(f"no PWG raster type we can make (printer lists {list(types)})")
    return RasterSpec(dpi, kind, media or "iso_a4_210x297mm")


def urf_spec(urf_supported: Sequence[str], media: str | None) -> RasterSpec:
    """From ``urf-supported`` keywords: ``RS300-600``, ``W8``, ``SRGB24``."""
    dpis: list[int] = []
    kind = None
    for word in urf_supported:
        upper = word.upper()
        if upper.startswith("RS"):
            dpis += [int(d) for d in re.findall(r"\d+", upper)]
        elif upper == "W8":
            kind = "sgray_8"
        elif upper == "SRGB24" and kind is None:
            kind = "srgb_8"
    if kind is None:
        raise TestPageError(
            f"no URF colour space we can make (printer lists {list(urf_supported)})"
        )
    dpi = 300 if 300 in dpis or not dpis else min(dpis)
    return RasterSpec(dpi, kind, media or "iso_a4_210x297mm")


# --- drawing -------------------------------------------------------------------------------


class Canvas:
    """A white page with ink rows stored sparsely (1 = ink, one byte per pixel)."""

    def __init__(self, spec: RasterSpec) -> None:
        w_mm, h_mm = spec.size_mm
        self.spec = spec
        self.width = round(w_mm / 25.4 * spec.dpi)
        self.height = round(h_mm / 25.4 * spec.dpi)
        self._rows: dict[int, bytearray] = {}
        self._blank = bytes(self.width)
        self._edges = self._solid = self._blank
        self._top = self._bottom = self._thick = 0

    def frame(self, margin: int, thickness: int) -> None:
        """A rectangle ``margin`` from the page edges; call before drawing text."""
        edges = bytearray(self.width)
        edges[margin : margin + thickness] = b"\x01" * thickness
        edges[self.width - margin - thickness : self.width - margin] = b"\x01" * thickness
        solid = bytearray(self.width)
        solid[margin : self.width - margin] = b"\x01" * (self.width - 2 * margin)
        self._edges, self._solid = bytes(edges), bytes(solid)
        self._top, self._bottom, self._thick = margin, self.height - margin, thickness

    def _base(self, y: int) -> bytes:
        if (
            self._top <= y < self._top + self._thick
            or self._bottom - self._thick <= y < self._bottom
        ):
            return self._solid
        return self._edges if self._top <= y < self._bottom else self._blank

    def text(self, x: int, y: int, line: str, scale: int) -> int:
        """Draw ``line`` with its top-left at (x, y); returns the height drawn."""
        for r, pixels in enumerate(ipp_font.render_line(line)):
            if not any(pixels):
                continue
            stretched = b"".join(b"\x01" * scale if p else b"\x00" * scale for p in pixels)
            stretched = stretched[: max(0, self.width - x)]
            for dy in range(scale):
                yy = y + r * scale + dy
                if 0 <= yy < self.height:
                    row = self._rows.get(yy)
                    if row is None:
                        row = self._rows[yy] = bytearray(self._base(yy))
                    row[x : x + len(stretched)] = stretched
        return ipp_font.HEIGHT * scale

    def rows(self) -> Iterator[bytes]:
        """Every row top to bottom (unchanged rows are the same object: cheap to compare)."""
        for y in range(self.height):
            row = self._rows.get(y)
            yield self._base(y) if row is None else bytes(row)


def draw(page: TestPage, spec: RasterSpec) -> Canvas:
    canvas = Canvas(spec)
    unit = max(1, round(spec.dpi / 72))  # ~1/72 inch per font pixel at body size
    margin = round(spec.dpi * 0.5)
    canvas.frame(round(spec.dpi * 0.3), max(2, unit))
    y = margin
    y += canvas.text(margin, y, page.title, unit * 2) + unit * 10
    for line in page.lines:
        y += canvas.text(margin, y, line, unit) + unit * 5
    return canvas


# --- raster encoding (PWG 5102.4 and Apple raster share the PackBits-like rows) ---------

_RUNS = re.compile(rb"(.)\1*", re.DOTALL)


_INK_TO_GRAY = bytes([255, 0] + [0] * 254)  # ink → black (0), paper → white (255)
_INK_TO_BITS = bytes([0x30, 0x31] + [0x30] * 254)  # ink → "1", paper → "0"


def _ink_to_units(row: bytes, kind: str) -> bytes:
    """The row in the colour space's bytes (gray units; sRGB triples them when encoding)."""
    if kind == "black_1":  # 1 bit per pixel, 1 = black, rows padded to whole bytes
        bits = row.translate(_INK_TO_BITS) + b"0" * (-len(row) % 8)
        return int(bits, 2).to_bytes(len(bits) // 8, "big")
    return row.translate(_INK_TO_GRAY)


def _encode_row(units: bytes, repeat_pixel: int) -> bytes:
    """One row's packets; ``repeat_pixel`` bytes per pixel (3 for sRGB from gray units)."""
    out = bytearray()
    literal = bytearray()

    def flush() -> None:
        for i in range(0, len(literal), 128):
            chunk = literal[i : i + 128]
            out.append(257 - len(chunk) if len(chunk) > 1 else 0)
            out.extend(bytes(b for b in chunk for _ in range(repeat_pixel)))
        literal.clear()

    for match in _RUNS.finditer(units):
        length = match.end() - match.start()
        if length == 1:
            literal.append(units[match.start()])
            continue
        flush()
        pixel = bytes([units[match.start()]]) * repeat_pixel
        while length > 0:
            n = min(length, 128)
            if n == 1:
                out.append(0)
            else:
                out.append(n - 1)
            out.extend(pixel)
            length -= n
    flush()
    return bytes(out)


def _encode_rows(canvas: Canvas, kind: str) -> bytes:
    repeat_pixel = 3 if kind == "srgb_8" else 1
    out = bytearray()
    previous: bytes | None = None
    count = 0

    def emit() -> None:
        assert previous is not None
        out.append(count - 1)  # line repeat: this row and count - 1 more like it
        out.extend(_encode_row(_ink_to_units(previous, kind), repeat_pixel))

    for row in canvas.rows():
        if previous is not None and count < 256 and (row is previous or row == previous):
            count += 1
            continue
        if previous is not None:
            emit()
        previous, count = row, 1
    if previous is not None:
        emit()
    return bytes(out)


_PWG_KINDS = {"black_1": (1, 1, 3, 1), "sgray_8": (8, 8, 18, 1), "srgb_8": (8, 24, 19, 3)}


def pwg_raster(page: TestPage, spec: RasterSpec) -> bytes:
    canvas = draw(page, spec)
    bits_color, bits_pixel, colour_space, colours = _PWG_KINDS[spec.kind]
    header = bytearray(1796)
    header[0:9] = b"PwgRaster"
    w_pt = round(canvas.width * 72 / spec.dpi)
    h_pt = round(canvas.height * 72 / spec.dpi)
    bytes_per_line = (canvas.width * bits_pixel + 7) // 8
    for offset, value in (
        (276, spec.dpi), (280, spec.dpi), (340, 1), (352, w_pt), (356, h_pt),
        (372, canvas.width), (376, canvas.height), (384, bits_color), (388, bits_pixel),
        (392, bytes_per_line), (400, colour_space), (420, colours), (452, 1), (456, 1),
        (460, 1), (484, 4),
    ):  # fmt: skip
        struct.pack_into(">I", header, offset, value)
    name = spec.media.encode("ascii", errors="ignore")[:63]
    header[1732 : 1732 + len(name)] = name
    return b"RaS2" + bytes(header) + _encode_rows(canvas, spec.kind)


def urf(page: TestPage, spec: RasterSpec) -> bytes:
    if spec.kind == "black_1":
        spec = RasterSpec(spec.dpi, "sgray_8", spec.media)  # URF has no 1-bit space
    canvas = draw(page, spec)
    bpp, colour_space = (24, 1) if spec.kind == "srgb_8" else (8, 0)
    head = bytearray(32)
    head[0], head[1], head[2], head[3] = bpp, colour_space, 1, 4  # simplex, normal quality
    struct.pack_into(">III", head, 12, canvas.width, canvas.height, spec.dpi)
    return b"UNIRAST\x00" + struct.pack(">I", 1) + bytes(head) + _encode_rows(canvas, spec.kind)


# --- PDF and text --------------------------------------------------------------------------


def _pdf_string(text: str) -> bytes:
    raw = ipp_font.printable(text).encode("latin-1", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf(page: TestPage, media: str | None = None) -> bytes:
    w_mm, h_mm = media_size_mm(media)
    w, h = round(w_mm / 25.4 * 72), round(h_mm / 25.4 * 72)
    ops = [b"BT /F1 20 Tf 50 %d Td " % (h - 80) + _pdf_string(page.title) + b" Tj ET"]
    y = h - 120
    for line in page.lines:
        ops.append(b"BT /F1 11 Tf 50 %d Td " % y + _pdf_string(line) + b" Tj ET")
        y -= 18
    ops.append(b"2 w 20 20 %d %d re S" % (w - 40, h - 40))
    content = zlib.compress(b"\n".join(ops))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>" % (w, h),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def plain_text(page: TestPage) -> bytes:
    return page.text.encode("utf-8") + b"\f"


def render(page: TestPage, fmt: str, spec: RasterSpec) -> bytes:
    if fmt == PWG_RASTER:
        return pwg_raster(page, spec)
    if fmt == URF:
        return urf(page, spec)
    if fmt == PDF:
        return pdf(page, spec.media)
    if fmt == TEXT:
        return plain_text(page)
    raise TestPageError(f"cannot make {fmt}")
