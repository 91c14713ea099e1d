"""Permission-matrix rows for the register: population figures (see samarbeid/tests/matrix.py).
Larvik's coordinator keeps Larvik's population; Horten's may not."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samarbeid.tests.matrix import ApiRow, FormRow, World, form_row, row

POPULATION = "/api/v1/municipalities/{number}/population/{year}"
POPULATION_FILE = "/api/v1/population-files"
SSB_FILE = '"07459: Befolkning"\n"1. januar"\n"region";"Personer 2024"\n"K-3909 Larvik";47001\n'


def _put(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/municipalities/3909/population/2024", {"count": 47001}


def _delete(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/municipalities/3909/population/2024", {}


def _file(world: World) -> tuple[str, dict[str, Any]]:
    return POPULATION_FILE, {"filename": "07459.csv", "content": SSB_FILE}


def _population_form(world: World) -> tuple[str, dict[str, Any]]:
    url = reverse("registry:population_save", args=[world.larvik.code])
    return url, {"year": "2024", "count": "47 001", "version": "1"}  # the world has 47 000


def _population_upload(world: World) -> tuple[str, dict[str, Any]]:
    url = reverse("registry:population_import", args=[world.larvik.code])
    return url, {"file": SimpleUploadedFile("07459.csv", SSB_FILE.encode(), "text/csv")}


# population figures: the coordinator or a secretariat for every arena (not of one arena)
API_ROWS = [
    ApiRow("PUT", POPULATION, row(secretariat=200, arena_secretariat=403, coordinator=200), _put),
    ApiRow(
        "DELETE", POPULATION, row(secretariat=204, arena_secretariat=403, coordinator=204), _delete
    ),
    # Statistics Norway's file names every municipality: a secretariat for every arena
    ApiRow("POST", POPULATION_FILE, row(secretariat=202, arena_secretariat=403), _file),
]

FORM_ROWS = [
    # the population page's two forms, as the API: Larvik's own coordinator may enter
    # Larvik's figure; the file is the secretariat's for every arena
    FormRow(
        "registry:population_save",
        form_row(secretariat=302, arena_secretariat=403, coordinator=302),
        _population_form,
    ),
    FormRow(
        "registry:population_import",
        form_row(secretariat=302, arena_secretariat=403),
        _population_upload,
    ),
]

API_TAGS = {"municipalities"}
NAMESPACES = {"registry"}
READ_ONLY_PAGES = {
    "registry:municipality_list",
    "registry:municipality_detail",
    "registry:population",
}
