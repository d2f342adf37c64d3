"""Storage on SQLite through sqlite-utils: opening and migrating, audit triggers, repositories."""
