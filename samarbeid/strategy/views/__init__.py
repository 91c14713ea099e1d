"""Strategy pages, one module per aggregate; urls.py names each view."""
