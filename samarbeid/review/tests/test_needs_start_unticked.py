"""A clerk's trial (trial A): on the proposals page every planning need started ticked; the
clerk expected to tick the ones wanted."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.planning.tests.factories import need, strategy

pytestmark = pytest.mark.django_db


def test_the_need_checkboxes_start_unticked(client: Client, secretariat: Any) -> None:
    for number in ("3909", "3907"):
        need(strategy(number), "procurement", description=f"Innkjøp i {number}")
    login(client, secretariat)
    page = client.get(reverse("review:proposal_list")).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="behov"[^>]*>', page)
    assert len(boxes) == 2
    assert not [box for box in boxes if "checked" in box]
