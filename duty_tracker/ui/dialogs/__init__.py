"""Dialogs (forms) of the window."""
