"""Build a standalone Wardfleet folder with PyInstaller (Windows or Linux).

Run on the target platform: PyInstaller does not cross-compile. The result in
dist/wardfleet/ runs without Python installed; ship it zipped or wrap it in an MSI/.deb.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    if importlib.util.find_spec("PyInstaller") is None:
        print(
            "installer: PyInstaller is not installed. Run: .venv/bin/pip install pyinstaller",
            file=sys.stderr,
        )
        return 2
    sep = ";" if sys.platform == "win32" else ":"
    package = ROOT / "app" / "wardfleet"
    cmd = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
        "--name", "wardfleet", "--windowed",
        "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build" / "pyinstaller"),
        "--paths", str(ROOT / "app"),
        # pysnmp loads its MIB modules by path at run time.
        "--collect-data", "pysnmp", "--collect-submodules", "pysnmp",
        "--add-data", f"{ROOT / 'resources'}{sep}resources",
        str(package / "__main__.py"),
    ]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
