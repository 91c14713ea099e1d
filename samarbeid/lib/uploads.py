"""Which uploaded files a meeting may hold: the kinds a secretariat sends (PDF, Word, Excel,
OpenDocument text, PNG, JPEG), told by name and by their first bytes, and a size limit.
Pure: the caller reads the file's head and size."""

from __future__ import annotations

from dataclasses import dataclass

MEGABYTE = 1024 * 1024
MAX_BYTES = 20 * MEGABYTE
HEAD_BYTES = 8

_ZIP = (b"PK\x03\x04",)


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    magic: tuple[bytes, ...]


KINDS: dict[str, FileKind] = {
    kind.extension: kind
    for kind in (
        FileKind("pdf", "application/pdf", (b"%PDF-",)),
        FileKind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _ZIP,
        ),
        FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
        FileKind("odt", "application/vnd.oasis.opendocument.text", _ZIP),
        FileKind("png", "image/png", (b"\x89PNG\r\n\x1a\n",)),
        FileKind("jpg", "image/jpeg", (b"\xff\xd8\xff",)),
    )
}
ALIASES = {"jpeg": "jpg"}


class UploadRefused(ValueError):
    """Why a file is refused: `code` is one of "empty", "too_large", "type", "content"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def extension_of(name: str) -> str:
    """The file name's extension in lower case, "jpeg" read as "jpg" ("" for none)."""
    _stem, dot, ext = name.rpartition(".")
    ext = ext.lower() if dot else ""
    return ALIASES.get(ext, ext)


def check_upload(name: str, head: bytes, size: int, limit: int = MAX_BYTES) -> FileKind:
    """The kind of the file `name` whose first bytes are `head` and whose size is `size`;
    UploadRefused when it is empty, larger than `limit`, of a kind not allowed, or its
    content is not what its name says."""
    if size <= 0:
        raise UploadRefused("empty")
    if size > limit:
        raise UploadRefused("too_large")
    kind = KINDS.get(extension_of(name))
    if kind is None:
        raise UploadRefused("type")
    if not any(head.startswith(magic) for magic in kind.magic):
        raise UploadRefused("content")
    return kind
