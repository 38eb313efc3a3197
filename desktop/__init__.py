"""支部台账 — offline party-branch organizational-life records.

Layers (imports point downwards only): ``cli`` → ``ui`` → ``services`` → ``documents`` | ``store`` →
``domain``. Nothing below ``ui`` imports PySide6. The contracts: ``[tool.importlinter]`` in
pyproject.toml, checked by tests/test_layers.py.
"""

__version__ = "0.1.0"
APP_NAME = "支部台账"
FILE_SUFFIX = ".zhibu"
