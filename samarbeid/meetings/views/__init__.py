"""The meetings' pages, one module per aggregate (urls.py names them)."""
