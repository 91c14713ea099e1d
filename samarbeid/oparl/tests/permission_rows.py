"""OParl is read only and public (test_oparl.py checks that writes are refused): every
page is declared read-only for the permission matrix."""

NAMESPACES = {"oparl"}
READ_ONLY_PAGES = {
    "oparl:system",
    "oparl:body_list",
    "oparl:body",
    "oparl:organization_list",
    "oparl:paper_list",
    "oparl:consultation_list",
    "oparl:seam_list",
    "oparl:organization",
    "oparl:paper",
    "oparl:consultation",
}
