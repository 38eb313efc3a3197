"""支部台账 — offline party-branch organizational-life records.

Layers (imports point downwards only): ``ui`` → ``documents`` / ``services`` → ``store`` → ``domain``.
Nothing below ``ui`` imports PySide6.
"""

__version__ = "0.1.0"
APP_NAME = "支部台账"
FILE_SUFFIX = ".zhibu"
