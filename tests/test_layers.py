"""The non-UI layers must never import PySide6 (they run in CLI, tests and document builds)."""

import importlib.util
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("desktop.domain", "desktop.store", "desktop.services", "desktop.documents")


def _modules(package: str) -> list[str]:
    if importlib.util.find_spec(package) is None:
        return []
    pkg = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(pkg.__path__, prefix=package + "."):
        names.append(info.name)
    return names


PROBE = r"""
import importlib, json, sys
result = {}
for name in sys.argv[1:]:
    importlib.import_module(name)
    qt = sorted(m for m in sys.modules if m.split(".")[0] == "PySide6")
    result[name] = qt
print(json.dumps(result))
"""


@pytest.mark.parametrize("package", LAYERS)
def test_layer_does_not_load_pyside6(package):
    # walk_packages imports subpackages to find their children; do it in a subprocess too
    listing = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json,sys; sys.path.insert(0, {str(ROOT)!r});"
            f"from tests.test_layers import _modules; print(json.dumps(_modules({package!r})))",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    names = json.loads(listing.stdout)
    if not names:
        pytest.skip(f"{package} does not exist yet")
    for name in names:  # one fresh interpreter per module so each is judged alone
        proc = subprocess.run([sys.executable, "-c", PROBE, name], capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 0, f"importing {name} failed:\n{proc.stderr}"
        loaded = json.loads(proc.stdout.strip().splitlines()[-1])[name]
        assert not loaded, f"{name} loads {loaded[:5]} (PySide6 is for desktop.ui only)"
