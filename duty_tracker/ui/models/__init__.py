"""Qt item models over the core (thin: column constants, rows fetched from the store)."""
