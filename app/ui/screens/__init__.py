"""Full-window screens of the main window."""
