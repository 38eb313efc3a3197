"""Use cases: one transaction each, plain dataclasses in and out (never ORM objects to the UI)."""
