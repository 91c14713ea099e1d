"""Every page names its icon: without one, each page view asked for /favicon.ico and got a
404 (a clerk's trial counted 50 in the server log)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_pages_name_an_icon_that_is_shipped(client: Client) -> None:
    page = client.get("/").content.decode()
    found = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert found, "no icon in the page's head"
    assert found.group(1).endswith(".svg")
    assert finders.find("img/favicon.svg")
