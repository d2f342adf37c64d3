"""Size of the one-folder build: ≤ 140 MB (SPEC.md §6).

    python -m bench.bench_build_size                 # builds build_installer.spec into a temp dir
    python -m bench.bench_build_size --dist dist/DutyTracker   # measures an existing build

Counts every file once (hard links once, symbolic links not at all), as the disk sees the
folder, and breaks the total down so that growth can be traced. On Linux the Qt wheel brings
its own ICU (36 MB, libicudata alone 31 MB; the spec trims its data to Chinese and English,
leaving about 16 MB); the Windows build has no ICU (Qt uses the system's), so its folder is
smaller by about that much — printed as an estimate, the budget is checked on what was
measured.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench.common import verdict

REPO = Path(__file__).resolve().parent.parent
BUDGET_MB = 140.0

#: (label, test on the path relative to the build folder), first match wins.
CATEGORIES = (
    ("ICU (Linux only)", lambda p: "libicu" in p.name),
    ("Qt plugins + translations", lambda p: "plugins" in p.parts or "translations" in p.parts),
    ("Qt libraries", lambda p: p.name.lower().startswith(("libqt6", "qt6"))),
    ("PySide6/shiboken bindings", lambda p: p.parts[1:2] in (("PySide6",), ("shiboken6",))),
    ("fonts (bundled CJK)", lambda p: "fonts" in p.parts),
    ("other resources", lambda p: p.parts[1:2] in (("resources",), ("db",))),
    ("executables (with the Python code)", lambda p: len(p.parts) == 1),
    ("Python runtime", lambda p: "python3" in p.name.lower() or "python3" in p.parts[1]
     or p.name == "base_library.zip"),
    ("lxml / Pillow (python-docx, reportlab)", lambda p: p.parts[1].startswith(("lxml", "PIL", "pillow"))
     or "-" in p.name and p.name.startswith("lib") and p.parent.name.endswith(".libs")),
)


def measure(folder: Path) -> tuple[float, dict[str, float]]:
    seen: set[tuple[int, int]] = set()
    total = 0
    parts: dict[str, float] = defaultdict(float)
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        stat = path.stat()
        if (stat.st_dev, stat.st_ino) in seen:
            continue
        seen.add((stat.st_dev, stat.st_ino))
        total += stat.st_size
        rel = path.relative_to(folder)
        label = next((name for name, test in CATEGORIES if _safe(test, rel)), "other libraries and data")
        parts[label] += stat.st_size
    mb = 1024 * 1024
    return total / mb, {k: v / mb for k, v in sorted(parts.items(), key=lambda kv: -kv[1])}


def _safe(test, rel: Path) -> bool:  # noqa: ANN001
    try:
        return bool(test(rel))
    except IndexError:
        return False


def build(target: Path) -> Path:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(target / "dist"), "--workpath", str(target / "work"),
         str(REPO / "build_installer.spec")],
        check=True, cwd=REPO)
    print(f"     built in {time.perf_counter() - start:.0f} s")
    return target / "dist" / "DutyTracker"


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(description="size of the one-folder build")
    parser.add_argument("--dist", type=Path, help="an existing build folder (default: build one)")
    args = parser.parse_args(argv or [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dist or build(Path(tmp))
        total, parts = measure(folder)
    for label, size in parts.items():
        print(f"     {size:7.1f} MB  {label}")
    icu = parts.get("ICU (Linux only)", 0.0)
    note = f"{sys.platform}; without the Linux-only ICU ≈ {total - icu:.0f} MB" if icu else sys.platform
    return verdict("one-folder build size", total, BUDGET_MB, unit="MB", note=note)


if __name__ == "__main__":
    raise SystemExit(0 if main(sys.argv[1:]) else 1)
