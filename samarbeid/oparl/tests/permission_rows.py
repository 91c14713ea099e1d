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
    "oparl:meeting_list",
    "oparl:agenda_item_list",
    "oparl:file_list",
    "oparl:organization_meeting_list",
    "oparl:membership",
    "oparl:meeting",
    "oparl:meeting_invitation",
    "oparl:meeting_results_protocol",
    "oparl:agenda_item",
    "oparl:file",
    "oparl:unknown",
}
