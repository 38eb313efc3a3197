"""Merging two diverged copies of a ledger (``zhibu merge``, 文件 › 合并另一份台账…).

:mod:`.plan` works out what each side changed and the conflicts, :mod:`.apply` writes the
decided result, :mod:`.run` does it safely (backups, copies, upgrade, checks, new file),
:mod:`.report` describes what the merge did.
"""

from .plan import Conflict, MergePlan
from .run import MergeRefused, MergeResult, MergeSession, merge_files, prepare

__all__ = ["Conflict", "MergePlan", "MergeRefused", "MergeResult", "MergeSession", "merge_files", "prepare"]
