#!/usr/bin/env python3
"""Update the Qt Linguist catalogues from the UI sources and compile them.

    python scripts/i18n.py           # lupdate i18n/*.ts from app/wardfleet/ui, lrelease to .qm
    python scripts/i18n.py --check   # exit 1 if a .ts or .qm is stale (CI)

Catalogues keep no source locations (``-locations none``), so moving code around does
not make them stale: only added, changed or removed strings do.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = Path("app/wardfleet/ui")
TS_DIR = Path("i18n")
QM_DIR = Path("app/wardfleet/resources/i18n")
SOURCE_LANGUAGE = "en_GB"
LANGUAGES = ("en_GB", "cy")


def tool(name: str) -> str:
    """The PySide6 wrapper next to this Python first (a venv), then PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        sys.exit(f"i18n: {name} not found; install PySide6-Essentials in this environment")
    return found


def sources() -> list[str]:
    return sorted(str(p) for p in SOURCES_DIR.rglob("*.py"))


def ts_name(language: str) -> str:
    return f"wardfleet_{language}.ts"


def qm_name(language: str) -> str:
    return f"wardfleet_{language}.qm"


def run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"i18n: {Path(cmd[0]).name} failed with exit code {result.returncode}")


def update(ts_dir: Path, qm_dir: Path) -> None:
    """lupdate each catalogue in ts_dir, then lrelease it into qm_dir (both under ROOT)."""
    lupdate, lrelease = tool("pyside6-lupdate"), tool("pyside6-lrelease")
    (ROOT / qm_dir).mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        ts = ts_dir / ts_name(language)
        run(
            [
                lupdate,
                *sources(),
                "-locations",
                "none",
                "-no-obsolete",
                "-silent",
                "-source-language",
                SOURCE_LANGUAGE,
                "-target-language",
                language,
                "-ts",
                str(ts),
            ]
        )
        run([lrelease, "-silent", str(ts), "-qm", str(qm_dir / qm_name(language))])


def check() -> int:
    """Rebuild into a temp dir from the committed catalogues and compare byte for byte."""
    stale: list[str] = []
    with tempfile.TemporaryDirectory(dir=ROOT, prefix=".i18n-check-") as tmp:
        tmp_rel = Path(tmp).relative_to(ROOT)
        ts_tmp, qm_tmp = tmp_rel / "ts", tmp_rel / "qm"
        (ROOT / ts_tmp).mkdir()
        for language in LANGUAGES:
            committed = ROOT / TS_DIR / ts_name(language)
            if committed.exists():
                shutil.copy2(committed, ROOT / ts_tmp / ts_name(language))
        update(ts_tmp, qm_tmp)
        for language in LANGUAGES:
            for fresh, committed in (
                (ROOT / ts_tmp / ts_name(language), ROOT / TS_DIR / ts_name(language)),
                (ROOT / qm_tmp / qm_name(language), ROOT / QM_DIR / qm_name(language)),
            ):
                if not committed.exists() or not filecmp.cmp(fresh, committed, shallow=False):
                    stale.append(str(committed.relative_to(ROOT)))
    if stale:
        print("i18n: stale translation files (run `python scripts/i18n.py`):")
        for name in stale:
            print(f"  {name}")
        return 1
    print("i18n: translation files are up to date")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if .ts/.qm files are stale, change nothing"
    )
    args = parser.parse_args(argv)
    if args.check:
        return check()
    update(TS_DIR, QM_DIR)
    print(f"i18n: updated {TS_DIR}/*.ts and {QM_DIR}/*.qm")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
