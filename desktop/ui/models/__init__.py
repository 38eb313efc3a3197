"""Shared Qt table-model helpers: a list of plain service rows shown as a sortable, filterable table."""

from .table import Column, RowFilterProxy, RowTableModel, make_view_sortable

__all__ = ["Column", "RowTableModel", "RowFilterProxy", "make_view_sortable"]
