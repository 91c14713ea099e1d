"""Cases with their treatment per body, decisions and votes, process plans. One router, built
from one module per aggregate; mounted through the portfolio router
(samarbeid/portfolio/api.py) at /api/v1/."""

from ninja import Router

from samarbeid.governance.api import cases, decisions, process_plans

router = Router(tags=["governance"])
for part in (cases, decisions, process_plans):
    router.add_router("/", part.router)
