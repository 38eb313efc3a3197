"""Rules of party-branch organizational life in plain Python (no database, no Qt)."""
