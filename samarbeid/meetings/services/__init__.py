"""The meetings' writes, one module per aggregate: bodies, meetings, notice, documents, minutes."""
