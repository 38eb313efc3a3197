"""Pages of the main window, in navigation order. Each module defines one :class:`Page` subclass.

The main window builds its navigation from ``PAGE_MODULES``; a page module that fails to import
is a bug and is reported as such (no silent placeholders).
"""

PAGE_MODULES = (
    "home",  # 首页
    "meetings",  # 三会一课
    "rectification",  # 整改清单
    "birthdays",  # 政治生日
    "members",  # 党员
    "organization",  # 组织
    "export",  # 导出打印
    "settings",  # 设置
)
