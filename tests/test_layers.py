"""The layer contracts of ``[tool.importlinter]`` in pyproject.toml, checked in-process.

Imports point down (cli → ui → services → documents | store → domain), nothing below ui imports
Qt, the domain stays plain Python, and no two sibling modules or packages import each other,
however deep. Imports inside functions count like any other: hiding one there neither makes a
layer independent nor breaks a cycle.

The second half proves the same contracts can fail: they are run against a throwaway package of
the same shape with one violation of each kind, each hidden inside a function.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from importlinter import api  # noqa: F401 - configures import-linter (graph builder, printer)
from importlinter.application.use_cases import (
    _register_built_in_contract_types,
    create_report,
    lint_imports,
    read_user_options,
)
from importlinter.application.user_options import UserOptions

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
LAYER_PACKAGES = ("__main__", "cli", "ui", "services", "documents", "store", "domain")


def _config() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]


def _checks(options: UserOptions) -> dict[str, bool]:
    """Contract id → kept, from a fresh graph (no cache)."""
    _register_built_in_contract_types()  # lint_imports does this; create_report alone does not
    report = create_report(options, cache_dir=None)
    return {contract.contract_options.get("id") or contract.name: check.kept
            for contract, check in report.get_contracts_and_checks()}


def test_contracts_kept(capfd):
    kept = lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)
    out = capfd.readouterr().out
    assert kept, f"import contracts broken (lint-imports):\n{out}"
    assert "0 broken" in out


def test_contracts_cover_every_layer():
    config = _config()
    contracts = {c["id"]: c for c in config["contracts"]}
    assert {"layers", "qt-only-in-ui", "no-cycles"} <= set(contracts)
    layers = contracts["layers"]
    assert layers["exhaustive"] is True  # a new top-level package must be placed in a layer
    named = {p.strip() for layer in layers["layers"] for p in layer.split("|")}
    assert named == set(LAYER_PACKAGES)
    below_ui = {m.removeprefix("desktop.") for m in contracts["qt-only-in-ui"]["source_modules"]}
    assert below_ui == {"services", "documents", "store", "domain"}
    assert config.get("exclude_type_checking_imports") is True  # only annotations are exempt


# ---------------------------------------------------------------- the contracts can fail

PROBE = "zhibu_layer_probe"


def _write(root: Path, rel: str, text: str = "") -> None:
    path = root / PROBE / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def _probe_package(root: Path, violations: bool) -> None:
    """The project's layer shape; with ``violations`` each contract is broken once, always by an
    import inside a function."""
    _write(root, "__init__.py")
    _write(root, "__main__.py", f"from {PROBE} import cli\n")
    for pkg in LAYER_PACKAGES[1:]:
        _write(root, f"{pkg}/__init__.py")
    _write(root, "ui/window.py", "import PySide6\n")
    _write(root, "cli/commands.py", f"from {PROBE}.services import cases\n")
    _write(root, "services/cases.py", f"from {PROBE}.store import db\nfrom {PROBE}.documents import doc\n")
    _write(root, "documents/doc.py", f"from {PROBE}.domain import rules\n")
    _write(root, "store/db.py", f"from {PROBE}.domain import rules\n")
    _write(root, "domain/rules.py", "def due():\n    return 1\n")
    _write(root, "domain/other.py", "from . import rules\n")
    if violations:
        # a rule reaching up into the UI, only when called
        _write(root, "domain/rules.py", f"def due():\n    from {PROBE}.ui import window\n    return window\n")
        # the store loading Qt, only when called
        _write(root, "store/db.py", f"from {PROBE}.domain import rules\n\ndef shot():\n    import PySide6\n")
        # two domain modules importing each other, one of them inside a function
        _write(root, "domain/other.py", "from . import rules\n")
        _write(root, "domain/rules.py",
               f"def due():\n    from {PROBE}.ui import window\n    from . import other\n    return window, other\n")


def _probe_options() -> UserOptions:
    project = read_user_options(str(PYPROJECT))  # as lint-imports reads it
    config = copy.deepcopy(project.session_options)
    text = json.dumps(project.contracts_options).replace('"desktop.', f'"{PROBE}.').replace('"desktop"', f'"{PROBE}"')
    probe_contracts = json.loads(text)
    for contract in probe_contracts:  # the project's exceptions name modules the probe lacks
        contract.pop("ignore_imports", None)
    config.pop("root_package", None)
    config["root_packages"] = [PROBE]
    return UserOptions(session_options=config, contracts_options=probe_contracts)


@pytest.fixture
def probe_root(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m == PROBE or m.startswith(PROBE + ".")]:
        del sys.modules[name]


def test_probe_without_violations_keeps_every_contract(probe_root):
    _probe_package(probe_root, violations=False)
    checks = _checks(_probe_options())
    assert checks and all(checks.values()), checks


def test_function_level_violations_break_the_contracts(probe_root):
    _probe_package(probe_root, violations=True)
    checks = _checks(_probe_options())
    assert checks["layers"] is False  # domain → ui
    assert checks["qt-only-in-ui"] is False  # store → PySide6
    assert checks["no-cycles"] is False  # domain.rules ↔ domain.other
    assert checks["cli-without-qt"] is False  # cli → services → store → PySide6, indirectly
    assert checks["domain-pure"] is True and checks["documents-from-plain-data"] is True


# ---------------------------------------------------------------- what static analysis cannot see

def test_cli_subcommands_load_without_qt():
    """``zhibu`` finds its subcommands with importlib at run time, out of the contracts' sight:
    building the parser (every subcommand module) must not load Qt."""
    probe = ("import sys; from desktop.cli import build_parser; build_parser(); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.strip() == "[]", proc.stdout
