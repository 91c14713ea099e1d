"""The finance API is a package of parts (issue 18): one router, the same paths and the
same operation ids as when it was one module."""

from __future__ import annotations

from samarbeid.api import api


def test_the_operation_ids_are_kept_across_the_parts() -> None:
    schema = api.get_openapi_schema()
    ids = {
        operation["operationId"]
        for path, operations in schema["paths"].items()
        if path.startswith(("/api/v1/finance/", "/api/v1/allocations/"))
        for operation in operations.values()
    }
    # 31, the five of the grants (issue 24) and run-tasks (issue 20)
    assert len(ids) == 37
    assert all(i.startswith("samarbeid_finance_api_") for i in ids)
    assert {
        "samarbeid_finance_api_create_run_api",
        "samarbeid_finance_api_credit_invoice_api",
        "samarbeid_finance_api_replacement_api",
        "samarbeid_finance_api_delete_reference_api",
        "samarbeid_finance_api_allocation_preview",
    } <= ids
