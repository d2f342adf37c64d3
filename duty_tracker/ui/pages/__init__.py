"""Pages of the main window; each is a QWidget built with the application context."""
