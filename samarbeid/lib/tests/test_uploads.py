"""The upload rules: kinds by name and first bytes, the size limit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samarbeid.lib.uploads import KINDS, MAX_BYTES, UploadRefused, check_upload, extension_of


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("Sakskart.PDF", b"%PDF-1.7\n", "pdf"),
        ("bilde.jpeg", b"\xff\xd8\xff\xe0", "jpg"),
        ("kart.png", b"\x89PNG\r\n\x1a\n", "png"),
        ("vedlegg.docx", b"PK\x03\x04\x14\x00", "docx"),
        ("budsjett.xlsx", b"PK\x03\x04", "xlsx"),
        ("notat.odt", b"PK\x03\x04", "odt"),
    ],
)
def test_allowed(name: str, head: bytes, kind: str) -> None:
    assert check_upload(name, head, 1000).extension == kind


@pytest.mark.parametrize(
    ("name", "head", "size", "code"),
    [
        ("tom.pdf", b"", 0, "empty"),
        ("stor.pdf", b"%PDF-", MAX_BYTES + 1, "too_large"),
        ("program.exe", b"MZ", 10, "type"),
        ("uten-endelse", b"%PDF-", 10, "type"),
        ("forkledd.pdf", b"MZ\x90\x00", 10, "content"),
        ("side.html.pdf", b"<html>", 10, "content"),
    ],
)
def test_refused(name: str, head: bytes, size: int, code: str) -> None:
    with pytest.raises(UploadRefused) as exc:
        check_upload(name, head, size)
    assert exc.value.code == code


def test_the_limit_itself_is_allowed() -> None:
    assert check_upload("a.pdf", b"%PDF-", MAX_BYTES).extension == "pdf"


@given(st.text(max_size=30), st.binary(max_size=12), st.integers(min_value=-5, max_value=10**9))
def test_a_file_is_allowed_only_with_a_known_name_and_its_magic(
    name: str, head: bytes, size: int
) -> None:
    allowed = (
        0 < size <= MAX_BYTES
        and extension_of(name) in KINDS
        and any(head.startswith(m) for m in KINDS[extension_of(name)].magic)
    )
    if allowed:
        assert check_upload(name, head, size) is KINDS[extension_of(name)]
    else:
        with pytest.raises(UploadRefused):
            check_upload(name, head, size)
