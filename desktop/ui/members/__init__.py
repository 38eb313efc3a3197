"""党员 page parts (desktop.ui.pages.members): the roster with its filters, the selected member's details."""
