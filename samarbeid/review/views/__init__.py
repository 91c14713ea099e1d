"""The review's pages, one module per feature."""
