"""Test pages: the right format, and rasters CUPS's own filters can read."""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.peers._policy import require_peer
from wardfleet.protocols import ipp_font
from wardfleet.protocols.ipp_testpage import (
    Canvas,
    RasterSpec,
    _encode_row,
    choose_format,
    draw,
    media_size_mm,
    pdf,
    plain_text,
    pwg_raster,
    pwg_spec,
    urf,
    urf_spec,
)
from wardfleet.protocols.ipp_testpage import TestPage as Page
from wardfleet.protocols.ipp_testpage import TestPageError as PageError

PAGE = Page(
    "Wardfleet test page",
    ("Printer: Ward Test Printer", "Ward: Station Süd – Ward 3", "Printed: 2026-11-23 10:42 CET"),
)
RASTERTOPDF = "/usr/lib/cups/filter/rastertopdf"


def test_format_choice_follows_what_the_printer_lists() -> None:
    ippeve = ["application/octet-stream", "image/pwg-raster", "image/urf"]
    assert choose_format(ippeve) == "image/pwg-raster"
    assert choose_format(["image/urf", "application/pdf"]) == "image/urf"
    assert choose_format(["application/PDF"]) == "application/pdf"
    assert choose_format(["text/plain;charset=utf-8"]) == "text/plain"
    with pytest.raises(PageError, match="application/octet-stream, application/postscript"):
        choose_format(["application/postscript", "application/octet-stream"])


def test_raster_specs() -> None:
    assert pwg_spec([300, 600], ["black_1", "sgray_8"], "na_letter_8.5x11in") == RasterSpec(
        300, "black_1", "na_letter_8.5x11in"
    )
    assert pwg_spec([600], ["srgb_8"], None).kind == "srgb_8"
    with pytest.raises(PageError):
        pwg_spec([300], ["adobe-rgb_16"], None)
    assert urf_spec(["CP1", "RS300-600", "W8", "SRGB24"], None) == RasterSpec(300, "sgray_8")
    assert urf_spec(["RS600", "SRGB24"], None).kind == "srgb_8"
    assert media_size_mm("na_letter_8.5x11in") == pytest.approx((215.9, 279.4))
    assert media_size_mm("weird") == (210.0, 297.0)


def _decode_rows(data: bytes, width_bytes: int, height: int, unit: int) -> list[bytes]:
    """A straight reading of the PackBits-like rows (PWG 5102.4 §4.3)."""
    rows, pos = [], 0
    while len(rows) < height:
        repeat = data[pos] + 1
        pos += 1
        row = bytearray()
        while len(row) < width_bytes:
            n = data[pos]
            pos += 1
            if n <= 127:
                row += data[pos : pos + unit] * (n + 1)
                pos += unit
            else:
                count = 257 - n
                row += data[pos : pos + count * unit]
                pos += count * unit
        assert len(row) == width_bytes
        rows += [bytes(row)] * repeat
    assert pos == len(data)
    return rows


@pytest.mark.parametrize("kind", ["black_1", "sgray_8", "srgb_8"])
def test_pwg_raster_header_and_rows_decode_to_the_drawing(kind: str) -> None:
    spec = RasterSpec(150, kind, "iso_a5_148x210mm")
    data = pwg_raster(PAGE, spec)
    assert data[:4] == b"RaS2" and data[4:13] == b"PwgRaster"
    header = data[4 : 4 + 1796]
    field = lambda offset: struct.unpack_from(">I", header, offset)[0]  # noqa: E731
    width, height = field(372), field(376)
    assert (field(276), field(280)) == (150, 150)
    assert (width, height) == (round(148 / 25.4 * 150), round(210 / 25.4 * 150))
    bits = {"black_1": 1, "sgray_8": 8, "srgb_8": 24}[kind]
    assert field(388) == bits and field(392) == (width * bits + 7) // 8
    assert header[1732:1748].rstrip(b"\0") == b"iso_a5_148x210mm"
    unit = 3 if kind == "srgb_8" else 1
    rows = _decode_rows(data[1800:], field(392), height, unit)
    canvas = draw(PAGE, spec)
    ink = [row for row in canvas.rows()]
    for y in (0, height // 2, height - 1, *range(70, 140)):
        expected = ink[y]
        if kind == "black_1":
            packed = int("".join(str(b) for b in expected) + "0" * (-width % 8), 2)
            assert rows[y] == packed.to_bytes(field(392), "big")
        else:
            assert rows[y] == bytes(0 if b else 255 for b in expected for _ in range(unit))


@settings(max_examples=200)
@given(st.lists(st.sampled_from([0, 255, 7]), min_size=1, max_size=600))
def test_row_packets_round_trip(pixels: list[int]) -> None:
    row = bytes(pixels)
    packed = b"\x00" + _encode_row(row, 1)
    assert _decode_rows(packed, len(row), 1, 1) == [row]


@pytest.mark.peer("cups-filters")
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("pwg-black", lambda: pwg_raster(PAGE, RasterSpec(300, "black_1"))),
        ("pwg-gray", lambda: pwg_raster(PAGE, RasterSpec(300, "sgray_8", "na_letter_8.5x11in"))),
        ("pwg-rgb", lambda: pwg_raster(PAGE, RasterSpec(150, "srgb_8"))),
        ("urf-gray", lambda: urf(PAGE, RasterSpec(600, "sgray_8"))),
        ("urf-rgb", lambda: urf(PAGE, RasterSpec(300, "srgb_8"))),
    ],
)
def test_cups_filters_read_our_rasters(tmp_path: Path, name: str, make) -> None:  # type: ignore[no-untyped-def]
    require_peer("cups-filters", RASTERTOPDF, "pdfinfo")
    source = tmp_path / f"{name}.ras"
    source.write_bytes(make())
    result = subprocess.run(
        [RASTERTOPDF, "1", "root", "test", "1", "", str(source)],
        capture_output=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    (tmp_path / "out.pdf").write_bytes(result.stdout)
    info = subprocess.run(["pdfinfo", str(tmp_path / "out.pdf")], capture_output=True, text=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.MULTILINE), info.stdout


@pytest.mark.peer("cups-filters")
def test_pdf_and_text_pages_say_who_and_where(tmp_path: Path) -> None:
    require_peer("cups-filters", "pdftotext", "pdfinfo")
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf(PAGE, "iso_a4_210x297mm"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Ward: Station Süd - Ward 3" in text and "Wardfleet test page" in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "595 x 842 pts (A4)" in info
    assert "Station Süd – Ward 3" in plain_text(PAGE).decode()


def test_font_covers_ascii_and_composes_accents() -> None:
    assert all(len(ipp_font.glyph(chr(c))) == ipp_font.HEIGHT for c in range(32, 127))
    assert ipp_font.glyph("ü") != ipp_font.glyph("u")
    assert ipp_font.glyph("ŵ") != ipp_font.glyph("w")  # Welsh w-circumflex
    assert ipp_font.printable("Straße\x1b[2J") == "Strasse[2J"
    assert ipp_font.printable("日本") == "??"


def test_canvas_rows_reuse_identical_objects() -> None:
    canvas = Canvas(RasterSpec(72, "sgray_8", "iso_a6_105x148mm"))
    canvas.frame(10, 2)
    rows = list(canvas.rows())
    assert rows[0] is rows[1] and rows[30] is rows[31]  # cheap line-repeat detection
    assert rows[10] != rows[30]
