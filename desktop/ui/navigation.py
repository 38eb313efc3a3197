"""Which pages the main window shows: the page modules of ``desktop.ui.pages.PAGE_MODULES`` that
exist, found without importing them (a module that does not exist yet is skipped; one that fails
to import for any other reason is a bug and raises), their navigation titles and icons, which page
usually handles a record kind, and the warm-up import of the service modules behind the pages.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging

from PySide6.QtGui import QIcon

from .pages import PAGE_MODULES
from .pages.base import Page
from .resources import resource_path

log = logging.getLogger(__name__)
# Which page usually handles a record kind (asked first; the others are asked after).
KIND_PAGES = {"meeting": "meetings", "measure": "rectification", "problem": "rectification",
              "campaign": "rectification", "member": "members", "branch": "organization",
              "birthday_event": "birthdays"}


def icon(name: str) -> QIcon:
    for ext in (".svg", ".png"):
        path = resource_path("icons", name + ext)
        if path.exists():
            return QIcon(str(path))
    return QIcon()


# Navigation entries of the standard page modules, so the window can show before they are imported.
KNOWN_PAGES = {"home": ("首页", "home"), "meetings": ("三会一课", "meetings"),
               "rectification": ("整改清单", "rectification"), "birthdays": ("政治生日", "birthdays"),
               "members": ("党员", "members"), "organization": ("组织", "organization"),
               "export": ("导出打印", "export"), "settings": ("设置", "settings")}


def _full(name: str) -> str:
    return f"{__package__}.pages.{name}"


def page_exists(name: str) -> bool:
    """True when the page module is installed (found without importing it)."""
    return importlib.util.find_spec(_full(name)) is not None


def page_class(name: str) -> type[Page]:
    """Import page module ``name`` and return its single Page subclass. Import errors propagate:
    a page module that is present but broken is a bug."""
    full = _full(name)
    module = importlib.import_module(full)
    classes = [c for c in vars(module).values()
               if isinstance(c, type) and issubclass(c, Page) and c is not Page and c.__module__ == full]
    if len(classes) != 1:
        raise RuntimeError(f"{full} must define exactly one Page subclass, found {len(classes)}")
    return classes[0]


def available_pages() -> list[str]:
    """The page modules of PAGE_MODULES that exist, in navigation order (missing ones skipped)."""
    names = []
    for name in PAGE_MODULES:
        if page_exists(name):
            names.append(name)
        else:
            log.info("page module %s not present; skipped", _full(name))
    return names


def discover_pages() -> list[tuple[str, type[Page]]]:
    """(module name, Page subclass) for every page module that exists, importing all of them."""
    return [(name, page_class(name)) for name in available_pages()]


def warm_up_services() -> None:
    """Import the service and document modules (no Qt: tests/test_layers.py) so the first visit
    of each page does not stall the GUI thread on SQLAlchemy/openpyxl/reportlab imports."""
    import pkgutil

    for package in ("desktop.services", "desktop.documents"):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, prefix=package + "."):
            try:
                importlib.import_module(info.name)
            except Exception:  # noqa: BLE001 - a broken module is reported when its page uses it
                log.exception("warm-up import of %s failed", info.name)
