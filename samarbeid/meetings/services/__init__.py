"""The meetings' writes, one module per aggregate: bodies, meetings, notice, documents, minutes."""

# The arena's secretariat writes (`can_edit_arena`), through the write path (versioned,
# audited); each write sets the record's `modified` time (`common.touch`).
