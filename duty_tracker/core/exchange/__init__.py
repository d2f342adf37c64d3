"""Data exchange without Qt: Excel workbooks (ledger, status table, roster, audit log) and data
packages (a unit's rows and attachments in one verified file).

Every import here has two steps: a *preview* that reads and validates everything and writes
nothing (rows + a row-by-row error list in Chinese), then *apply*, which writes all valid rows
in one transaction — all or nothing.
"""
