"""三会一课 widgets: the record editor, its undoable grids, and the dialogs around them."""
