"""The meetings' pages (/moter/...), one module per aggregate (urls.py names them)."""

# Everyone reads the bodies of published arenas and their published meetings; internal
# users read everything; the arena's secretariat writes (403 for other signed-in users, the
# log-in page for the anonymous; 404 for what a user may not see).
