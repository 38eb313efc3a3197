"""整改清单 widgets: tree model, editors, Excel import, recycle bin, printing helpers."""
