"""Printer-MIB decoders against every real recording (offline) and against garbage."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.protocols.snmprec import EXPECTED, RECORDINGS, load
from wardfleet.domain.status import LevelState
from wardfleet.protocols import oids
from wardfleet.protocols.printer_mib import (
    colour_from_description,
    decode_alerts,
    decode_page_count,
    decode_supplies,
    decode_trays,
)
from wardfleet.protocols.snmp_decode import as_text, repair_hex_wrap
from wardfleet.protocols.snmp_types import Missing, subtree

SPECIAL = {-1: LevelState.UNLIMITED, -2: LevelState.UNKNOWN, -3: LevelState.SOME_REMAINING}


@pytest.mark.parametrize("name", RECORDINGS)
def test_supplies_match_expected(name: str) -> None:
    values = load(name)
    supplies, errors = decode_supplies(
        subtree(values, oids.PRT_SUPPLIES_ENTRY), subtree(values, oids.PRT_COLORANT_VALUE)
    )
    assert errors == []
    got = [
        {
            "index": c.supply.index, "description": c.supply.description, "type": c.supply.type,
            "class": c.supply.supply_class, "unit": c.supply.unit, "colour": c.supply.colour,
            "colour_source": c.colour_source, "level": c.supply.level,
            "capacity": c.supply.capacity, "percent": c.supply.percent,
        }
        for c in supplies
    ]  # fmt: skip
    keys = ("index", "description", "type", "class", "unit", "colour", "colour_source",
            "level", "capacity", "percent")  # fmt: skip
    assert got == [{k: s[k] for k in keys} for s in EXPECTED[name]["supplies"]]
    for c, s in zip(supplies, EXPECTED[name]["supplies"], strict=True):
        if s["level_special"]:
            assert c.supply.level_state is SPECIAL[s["level"]]


@pytest.mark.parametrize("name", RECORDINGS)
def test_trays_match_expected(name: str) -> None:
    trays, errors = decode_trays(subtree(load(name), oids.PRT_INPUT_ENTRY))
    assert errors == []
    expected = EXPECTED[name]["input_trays"]
    assert [(t.index, t.level, t.capacity, t.percent) for t in trays] == [
        (e["index"], e["level"], e["capacity"], e["percent"]) for e in expected
    ]
    assert [t.name for t in trays] == [e["name"] or f"Tray {e['index']}" for e in expected]


@pytest.mark.parametrize("name", [n for n in RECORDINGS if EXPECTED[n].get("page_counters")])
def test_page_count_is_the_first_marker_life_count(name: str) -> None:
    count, errors = decode_page_count(subtree(load(name), oids.PRT_MARKER_LIFE_COUNT))
    assert (count, errors) == (EXPECTED[name]["page_counters"][0]["prtMarkerLifeCount"], [])


def test_hex_wrap_repair_matches_the_recording() -> None:
    for supply in EXPECTED["jetdirect_m880"]["supplies"]:
        raw = supply["description_raw"].encode()
        assert as_text(raw, repair=True) == supply["description"]


@pytest.mark.parametrize(
    "raw",
    [
        b"Black Cartridge \nnot hex at all",  # a real newline in a description
        b"Short\n41 42",  # first line is not a 16-byte wrap
        b"0123456789abcdef\n41 4",  # odd hex
        b"plain text",
    ],
)
def test_hex_wrap_repair_leaves_other_text_alone(raw: bytes) -> None:
    assert repair_hex_wrap(raw) == raw


@pytest.mark.parametrize(
    ("description", "colour"),
    [
        ("CANON Matte Black Ink Tank", "matte black"),
        ("Photo Black Cartridge", "photo black"),
        ("Light Cyan Ink", "light cyan"),
        ("Toner (Magenta)", "magenta"),
        ("Gray Ink", "grey"),
        ("Waste Toner Box", None),
        ("Drum Cartridge (R1), PN 013R00662;SN5238EF80E000048E", None),
        ("SN12RED34", None),
    ],
)
def test_colour_keywords(description: str, colour: str | None) -> None:
    assert colour_from_description(description) == colour


def test_linked_colorant_wins_over_the_description() -> None:
    entry, colorant = oids.PRT_SUPPLIES_ENTRY, oids.PRT_COLORANT_VALUE
    supplies = {
        (*entry, oids.SUP_COLORANT, 1, 1): 2,
        (*entry, oids.SUP_DESCR, 1, 1): b"Black Cartridge",
        (*entry, oids.SUP_LEVEL, 1, 1): 5,
        (*entry, oids.SUP_MAX, 1, 1): 10,
    }
    decoded, errors = decode_supplies(supplies, {(*colorant, 1, 2): b"cyan"})
    assert errors == []
    assert (decoded[0].supply.colour, decoded[0].colour_source) == ("cyan", "colorant-table")
    assert decoded[0].supply.percent == 50.0


def test_alerts_are_decoded_with_names() -> None:
    entry = oids.PRT_ALERT_ENTRY
    alerts = {
        (*entry, oids.AL_SEVERITY, 1, 7): 3,
        (*entry, oids.AL_GROUP, 1, 7): 8,
        (*entry, oids.AL_CODE, 1, 7): 808,
        (*entry, oids.AL_DESCR, 1, 7): b"Tray 2 empty",
    }
    decoded, errors = decode_alerts(alerts)
    assert errors == []
    assert (decoded[0].code, decoded[0].description, decoded[0].group) == (
        "inputMediaSupplyEmpty", "Tray 2 empty", "input",
    )  # fmt: skip
    assert decoded[0].severity.value == "critical"


# --- garbage in: nothing raises, every problem is a TableError -------------------------------

values = st.one_of(
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.binary(max_size=600),
    st.text(max_size=600),
    st.tuples(st.integers(min_value=-5, max_value=2**33)),
    st.sampled_from(list(Missing)),
)
columns = st.integers(min_value=1, max_value=12)
indices = st.lists(st.integers(min_value=0, max_value=2**32), min_size=0, max_size=3).map(tuple)


def table(entry: tuple[int, ...]) -> st.SearchStrategy[dict[tuple[int, ...], object]]:
    return st.dictionaries(
        st.tuples(columns, indices).map(lambda ci: (*entry, ci[0], *ci[1])), values, max_size=40
    )


@settings(max_examples=300, deadline=None)
@given(table(oids.PRT_SUPPLIES_ENTRY), table(oids.PRT_COLORANT_VALUE[:-1]))
def test_supplies_never_raise(supplies: dict, colorants: dict) -> None:
    decoded, errors = decode_supplies(supplies, colorants)
    for c in decoded:
        assert c.supply.level is None or -(2**31) <= c.supply.level < 2**31
        assert c.supply.percent is None or 0 <= c.supply.percent <= 100
        assert len(c.supply.description) <= 512
    assert all(e.table == "prtMarkerSuppliesTable" and e.message for e in errors)


@settings(max_examples=200, deadline=None)
@given(table(oids.PRT_INPUT_ENTRY), table(oids.PRT_ALERT_ENTRY), table(oids.PRT_MARKER_LIFE_COUNT))
def test_trays_alerts_counters_never_raise(trays: dict, alerts: dict, counters: dict) -> None:
    for decode, data in ((decode_trays, trays), (decode_alerts, alerts)):
        _, errors = decode(data)
        assert all(e.message for e in errors)
    count, errors = decode_page_count(counters)
    assert count is None or 0 <= count < 2**32


def test_wrong_types_and_overflows_become_errors() -> None:
    entry = oids.PRT_SUPPLIES_ENTRY
    decoded, errors = decode_supplies(
        {
            (*entry, oids.SUP_DESCR, 1, 1): 42,
            (*entry, oids.SUP_LEVEL, 1, 1): 2**40,
            (*entry, oids.SUP_MAX, 1, 1): b"100",
            (*entry, oids.SUP_TYPE, 1, 1): True,
            (*entry, oids.SUP_DESCR, 1, 2): b"\xff\xfeCyan\x00 " + b"x" * 2000,
        }
    )
    assert [c.supply.index for c in decoded] == ["1.1", "1.2"]
    assert decoded[0].supply.level is None and decoded[0].supply.capacity is None
    assert len(errors) == 5, errors  # descr, level, capacity, type, too-long descr
