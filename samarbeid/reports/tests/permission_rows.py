"""Permission-matrix declarations for reports: all read-only (see samarbeid/tests/matrix.py)."""

NAMESPACES = {"reports"}
READ_ONLY_PAGES = {
    "reports:index",
    "reports:annual",
    "reports:annual_as",
    "reports:municipality_lookup",
    "reports:municipality",
    "reports:municipality_as",
    "reports:plan",
    "reports:grant_report",
    "reports:grant_as",
    "reports:plan_as",
}
