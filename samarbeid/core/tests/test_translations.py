"""The English translation is complete: pages read in English on request, and the
catalogue has a non-empty msgstr for every msgid, so a missing translation fails here."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

LC_MESSAGES = Path(settings.BASE_DIR) / "samarbeid" / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

# The catalogue held 1,692 messages when it was first translated; it only grows.
MIN_TRANSLATED = 1600

H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL)


def _headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in H1.findall(html)]


def _parse_po(path: Path) -> list[dict[str, object]]:
    """A small .po reader: one dict per entry with its flags and its keywords
    (msgctxt, msgid, msgid_plural, msgstr, msgstr[0], ...) unescaped. Obsolete
    entries (#~) are skipped."""
    entries: list[dict[str, object]] = []
    entry: dict[str, object] = {}
    flags: set[str] = set()
    key: str | None = None

    def finish() -> None:
        nonlocal entry, flags, key
        if "msgid" in entry:
            entry["flags"] = flags
            entries.append(entry)
        entry, flags, key = {}, set(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if "msgid" in entry:
                finish()
            flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert key is not None, f"continuation line without keyword: {raw!r}"
            entry[key] = str(entry[key]) + ast.literal_eval(line)
        else:
            keyword, _, value = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and "msgid" in entry and key != "msgctxt":
                finish()
            key = keyword
            entry[key] = ast.literal_eval(value)
    finish()
    return entries


def _messages() -> list[dict[str, object]]:
    return [e for e in _parse_po(PO_FILE) if e["msgid"] != ""]


@pytest.mark.django_db
def test_municipality_list_reads_in_english(client: Client) -> None:
    html = client.get("/kommuner/?lang=en").content.decode()
    headings = _headings(html)
    assert "Municipalities" in headings
    assert "Kommuner" not in headings
    assert "Municipalities" in html


@pytest.mark.django_db
def test_front_page_has_english_heading(client: Client) -> None:
    html = client.get("/?lang=en").content.decode()
    assert "Inter-municipal cooperation – overview" in _headings(html)
    assert "Interkommunalt samarbeid – oversikt" not in html


@pytest.mark.django_db
def test_bokmal_is_still_the_default(client: Client) -> None:
    assert "Kommuner" in _headings(client.get("/kommuner/").content.decode())


def test_po_file_has_no_untranslated_or_fuzzy_entries() -> None:
    messages = _messages()
    assert len(messages) >= MIN_TRANSLATED
    untranslated, fuzzy = [], []
    for e in messages:
        if "fuzzy" in e["flags"]:  # type: ignore[operator]
            fuzzy.append(e["msgid"])
        if "msgid_plural" in e:
            forms = [v for k, v in e.items() if str(k).startswith("msgstr[")]
            if len(forms) < 2 or not all(forms):
                untranslated.append(e["msgid"])
        elif not e.get("msgstr"):
            untranslated.append(e["msgid"])
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"


def test_compiled_catalogue_matches_po_file() -> None:
    with MO_FILE.open("rb") as fp:
        catalogue = gettext.GNUTranslations(fp)
    compiled = catalogue._catalog  # type: ignore[attr-defined]
    translated = {k: v for k, v in compiled.items() if k != "" and v}
    assert len(translated) >= MIN_TRANSLATED
    stale = []
    for e in _messages():
        msgid = str(e["msgid"])
        if "msgctxt" in e:
            msgid = f"{e['msgctxt']}\x04{msgid}"
        key: object = (msgid, 0) if "msgid_plural" in e else msgid
        if not compiled.get(key):
            stale.append(msgid)
    assert not stale, f"django.mo is out of date; run compilemessages: {stale[:20]}"


def test_english_catalogue_is_used_for_a_sample() -> None:
    with MO_FILE.open("rb") as fp:
        catalogue = gettext.GNUTranslations(fp)
    assert catalogue.gettext("Kommuner") == "Municipalities"
    assert catalogue.ngettext("%(n)s arena", "%(n)s arenaer", 2) == "%(n)s arenas"


@pytest.mark.django_db
def test_djangos_own_bokmal_is_mended_where_it_reads_wrong() -> None:
    """Django's bokmål catalogue lacks a word in a record choice's error; the project's
    catalogue (samarbeid/locale/nb) is read first."""
    from django import forms
    from django.contrib.auth.models import Group
    from django.utils import translation

    field = forms.ModelChoiceField(queryset=Group.objects.all())
    with translation.override("nb"), pytest.raises(forms.ValidationError) as exc:
        field.clean("12345")
    assert exc.value.messages == [
        "Velg et gyldig valg. Valget er ikke et av de tilgjengelige valgene."
    ]


def test_an_invalid_email_address_is_said_as_a_sentence() -> None:
    """Django's bokmål says «Oppgi en gyldig e-postadresse» without a full stop; a command
    printed «email: Oppgi en gyldig e-postadresse Nothing was made.»"""
    from django import forms
    from django.utils import translation

    with translation.override("nb"), pytest.raises(forms.ValidationError) as exc:
        forms.EmailField().clean("bad@")
    assert exc.value.messages == ["Skriv inn en gyldig e-postadresse."]
