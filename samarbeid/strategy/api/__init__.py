"""API for strategic plans, goals, focus areas, results, benefits and the account of a
period. Reads are open; every change a strategy page can make is also a write here
(`auth=WRITE_AUTH`), through the same services with `channel=Channel.API`. One router,
built from one module per aggregate."""

from ninja import Router

from samarbeid.strategy.api import account, benefits, goals, links, plans, results

router = Router(tags=["strategy"])
for part in (plans, goals, results, account, benefits, links):
    router.add_router("/", part.router)
