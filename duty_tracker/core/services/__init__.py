"""The use cases: every change the window or the CLI makes goes through one function here.

A use case takes an open store (or a ledger, or a database path for work done by other
processes) and a plain options object, does the whole job — checks, the backup-first rule,
one transaction, the files — and returns a plain result object. The window's action and the
CLI command are both "collect the options → call the use case → show the result"; an undo
command's ``redo()`` calls the same function. Errors are :class:`~duty_tracker.core.errors.AppError`
with a Chinese message, which the window's task runner and the CLI show as they are.

- ``ledger``: opening a database for writing (migrate, seed the default rules, register as a
  writer; the window also takes the one-window lock) and second connections for workers.
- ``records``: saving, deleting and restoring records with their links and attachments.
- ``reporting``: the debrief (PDF or Word), the batch of debriefs, the unit summary, the
  unit's annual 法治政府建设年度报告 (draft, save, export, submission and its reminder); one
  file-name rule.
- ``exchange``: Excel and data-package imports (each after a backup) and exports.
- ``safety``: backups, restore, the integrity check and the start-up check.
"""
