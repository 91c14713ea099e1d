"""Financing API: allocation preview, keys, budgets, invoice runs, invoice references and
invoices (with their credit notes and corrected invoices), one router made of the parts.

Reads are open and show what the caller may see (issued runs of published arenas for the
public; everything for internal users). Writes need WRITE_AUTH and the arena's
secretariat. Money is a string with two decimals."""

from ninja import Router

from samarbeid.finance.api import budgets, grants, invoices, keys, preview, references, runs

router = Router(tags=["finance"])
for part in (preview, keys, budgets, grants, runs, references, invoices):
    router.add_router("", part.router)
    # The operation ids as they were when the API was one module (ninja names an operation
    # after its module), so that clients generated from the OpenAPI document keep them.
    for path_view in part.router.path_operations.values():
        for operation in path_view.operations:
            if operation.operation_id is None:
                operation.operation_id = f"samarbeid_finance_api_{operation.view_func.__name__}"
