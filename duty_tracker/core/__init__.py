"""Pure-Python core: no module below this package may import Qt."""
