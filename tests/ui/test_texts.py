"""Words for supplies, states, times and addresses (wardfleet.ui.texts)."""

from __future__ import annotations

from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus, Supply, Tray
from wardfleet.ui import texts

from .seed import CONSUMED, RECEPTACLE, toner


def status(*supplies: Supply, state: DeviceState = DeviceState.OK) -> DeviceStatus:
    return DeviceStatus(state=state, polled_at=0.0, supplies=supplies)


def test_fill_substitutes_once_so_device_text_with_placeholders_stays_literal() -> None:
    assert texts.fill("%1 and %2", "a%2", "b") == "a%2 and b"
    assert texts.fill("%1 %3", "x") == "x %3"


def test_plain_tooltip_escapes_markup() -> None:
    tip = texts.plain_tooltip("<b>x</b>\n<img src=x>")
    assert "<b>" not in tip and "<img" not in tip
    assert "&lt;b&gt;x&lt;/b&gt;" in tip and "&lt;img src=x&gt;" in tip
    assert texts.plain_tooltip("") == ""


def test_summary_names_the_lowest_consumable() -> None:
    summary = texts.supply_summary(status(toner("black", 12), toner("cyan", 60)))
    assert summary == "Black 12\u00a0%"


def test_summary_mentions_a_nearly_full_waste_box() -> None:
    waste = Supply("9", "Waste Toner Box", "wasteToner", RECEPTACLE, None, None, 80, 100)
    summary = texts.supply_summary(status(toner("black", 50), waste))
    assert summary == "Black 50\u00a0%, Waste 80\u00a0% full"


def test_summary_says_special_levels_in_words() -> None:
    brother = status(
        Supply("1", "Black Toner Cartridge", "toner", None, None, "black", -3, -2),
        Supply("2", "Drum Unit", "opc", None, None, None, 11501, 12000),
    )
    assert texts.supply_summary(brother) == "Black: OK, level not reported"


def test_summary_prefers_a_low_measured_supply_over_an_unreported_one() -> None:
    mixed = status(
        Supply("1", "Black Toner", "toner", CONSUMED, None, "black", -3, -2),
        Supply("2", "Drum Unit", "opc", CONSUMED, None, None, 5, 100),
    )
    assert texts.supply_summary(mixed) == "Drum Unit 5\u00a0%"


def test_summary_without_status_or_reading() -> None:
    assert texts.supply_summary(None) == "Not polled yet"
    assert texts.supply_summary(DeviceStatus.unreachable(0.0, "timeout")) == "No current reading"
    assert texts.supply_summary(status()) == ""


def test_level_words_for_every_special_state() -> None:
    def level(value: int, capacity: int = 100) -> str:
        return texts.supply_level_text(Supply("1", "Ink", level=value, capacity=capacity))

    assert level(-1) == "No limit reported"
    assert level(-2) == "Level unknown"
    assert level(-3) == "OK, level not reported"
    assert level(150) == "Invalid reading"
    assert level(0) == "0\u00a0%"


def test_relative_time() -> None:
    now = 10_000.0
    assert texts.relative_time(None) == "Never"
    assert texts.relative_time(now - 10, now) == "Just now"
    assert texts.relative_time(now - 120, now) == "2 min ago"
    assert texts.relative_time(now - 5 * 3600, now) == "5 h ago"
    assert texts.relative_time(now - 3 * 86400, now) == "3 days ago"
    assert texts.relative_time(now + 60, now) == "Just now"  # a fast device clock


def test_address_sort_key_is_numeric_and_puts_ipv4_before_ipv6() -> None:
    addresses = ["10.0.0.10", "10.0.0.9", "fe80::1", "2.1.1.1", "printer.local", None]
    ordered = sorted(addresses, key=texts.address_sort_key)
    assert ordered == ["2.1.1.1", "10.0.0.9", "10.0.0.10", "fe80::1", "printer.local", None]


def test_duration_text() -> None:
    assert texts.duration_text(3 * 86400 + 5 * 3600) == "3 d 5 h"
    assert texts.duration_text(2 * 3600 + 7 * 60) == "2 h 7 min"
    assert texts.duration_text(59) == "0 min"


def test_trays_say_empty_and_special_levels_in_words_never_as_numbers() -> None:
    assert texts.tray_text(Tray("1", "Tray 1", level=0, capacity=250)) == "Tray 1: empty"
    assert texts.tray_text(Tray("2", "Tray 2", level=100, capacity=250)) == "Tray 2: 40\u00a0%"
    assert texts.tray_text(Tray("3", "", level=-3, capacity=250)) == (
        "Tray 3: some paper, amount not reported"
    )
    assert texts.tray_text(Tray("4", "Bypass", level=-2, capacity=100)) == "Bypass: level unknown"
    assert texts.tray_text(Tray("5", "MP", level=-1, capacity=-1)) == "MP: no limit reported"
    assert texts.tray_text(Tray("6", "Bad", level=900, capacity=250)) == "Bad: invalid reading"
    for level in (-1, -2, -3, 0):
        assert str(level) not in texts.tray_level_text(Tray("9", "T", level, 250))


def test_device_reports_in_words_with_a_capital_and_device_sentences_kept() -> None:
    assert texts.device_reports_text("warning", "idle") == "Warning, idle"
    assert texts.device_reports_text("down", "other") == "Down, other"
    assert texts.device_reports_text(None, "warmup") == "Warming up"
    assert texts.device_reports_text("Toner low.", "processing") == "Toner low., printing"
    assert texts.device_reports_text(None, None) == ""
