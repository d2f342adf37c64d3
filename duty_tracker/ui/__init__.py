"""Qt Widgets layer: models, views and dialogs over the core. Holds no SQL and no business rules."""
