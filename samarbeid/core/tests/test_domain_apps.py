"""One list of the domain apps (issue 18 point 6): export/import and the history pages read
it from the apps themselves, lowest layer first."""

from __future__ import annotations

from samarbeid.core.domain import domain_apps


def test_the_domain_apps_are_listed_once_from_their_configs_in_layer_order() -> None:
    assert domain_apps() == [
        "registry",
        "governance",
        "arenas",
        "portfolio",
        "finance",
        "planning",
        "strategy",
        "review",
        "workshops",
        "meetings",
        "reports",
    ]
