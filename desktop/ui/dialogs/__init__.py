"""Dialogs of the application shell (members, organization, import, errors …)."""
