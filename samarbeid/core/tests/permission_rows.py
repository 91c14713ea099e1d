"""Permission-matrix declarations for the core pages: all read-only
(see samarbeid/tests/matrix.py)."""

NAMESPACES = {"core"}
READ_ONLY_PAGES = {
    "core:home",
    "core:open_data",
    "core:open_data_popolo",
    "core:open_data_file",
}
