"""政治生日 widgets: roster and celebrant models, the celebration and template dialogs."""
