"""Storage errors; each message is Chinese and tells the clerk what happened and what to do."""

from duty_tracker.core.errors import AppError, InputError


class StorageError(AppError):
    """Base of every error the storage layer raises on purpose."""


class DatabaseOpenError(StorageError):
    """The database cannot be opened or written (permissions, disk, path)."""


class CorruptDatabaseError(DatabaseOpenError):
    """The file is not a readable SQLite database; it is left untouched."""


class NewerDatabaseError(DatabaseOpenError):
    """The file was written by a newer program version; it is left untouched."""


class ForeignDatabaseError(DatabaseOpenError):
    """The file is a SQLite database of another program (or an empty one); it is left untouched."""


class ValidationError(StorageError, InputError):
    """Input the clerk can correct (empty title, unknown leader, end before start …)."""


class NotFoundError(StorageError, LookupError):
    """A row asked for by id does not exist (any more)."""
