"""The archive pages read only (the extract is downloaded, nothing is written): declared
read-only for the permission matrix; test_extract.py checks who gets the extract."""

NAMESPACES = {"archive"}
READ_ONLY_PAGES = {"archive:extract_page", "archive:extract_download"}
