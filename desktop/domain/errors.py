"""Validation errors raised by the domain layer.

Every error names the field with its Chinese label (as shown on the form) and carries a
precise Chinese message that names the offending value, so the UI can show it verbatim.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator


class DomainValidationError(ValueError):
    """One invalid value: ``str(e)`` is ``"{field}：{message}"``."""

    field: str
    message: str

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}：{message}")

    def __str__(self) -> str:
        return f"{self.field}：{self.message}"

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (self.field, self.message))

    def __repr__(self) -> str:
        return f"DomainValidationError(field={self.field!r}, message={self.message!r})"


class ValidationErrors(ValueError):
    """Several problems reported at once (a form lists all of them, not just the first)."""

    errors: list[DomainValidationError]

    def __init__(self, errors: Iterable[DomainValidationError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

    def __reduce__(self) -> tuple[type, tuple[list[DomainValidationError]]]:
        return (type(self), (self.errors,))

    def __iter__(self) -> Iterator[DomainValidationError]:
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    @property
    def fields(self) -> list[str]:
        """Field labels in the order the problems were found (may repeat)."""
        return [e.field for e in self.errors]

    def by_field(self) -> dict[str, list[str]]:
        """Messages grouped by field label, for showing next to each input."""
        out: dict[str, list[str]] = {}
        for e in self.errors:
            out.setdefault(e.field, []).append(e.message)
        return out


class ErrorCollector:
    """Collects DomainValidationErrors from several checks, then raises them together.

    Usage::

        errs = ErrorCollector()
        with errs.check():
            parse_date(a, "入党日期")
        errs.raise_if_any()
    """

    def __init__(self) -> None:
        self.errors: list[DomainValidationError] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append(DomainValidationError(field, message))

    def check(self) -> _Catch:
        return _Catch(self)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationErrors(self.errors)


class _Catch:
    def __init__(self, owner: ErrorCollector) -> None:
        self._owner = owner

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> bool:
        if isinstance(exc, DomainValidationError):
            self._owner.errors.append(exc)
            return True
        if isinstance(exc, ValidationErrors):
            self._owner.errors.extend(exc.errors)
            return True
        return False


class RecordConflict(DomainValidationError):
    """Someone else saved this record since it was opened: saving now would silently overwrite
    their work. ``who`` and ``when`` (local, aware) name the other save; the UI offers
    重新载入 (their version) or 另存为新版本 (ours on top of theirs, theirs kept in the history)."""

    def __init__(self, field: str, who: str, when, record_id: str = "", current_version: int | None = None) -> None:
        self.who = who
        self.when = when
        self.record_id = record_id
        self.current_version = current_version
        shown = when.strftime("%Y-%m-%d %H:%M") if when is not None else "刚才"
        super().__init__(field, f"该记录已被 {who} 于 {shown} 修改")

    def __reduce__(self):  # type: ignore[override]
        return (type(self), (self.field, self.who, self.when, self.record_id, self.current_version))
