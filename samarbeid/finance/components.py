"""The allocation components on the Django side of `lib.allocation.DECLARATION`: what the
pages say when a line cannot be split for want of a component's figures (`MESSAGES`).
The declaration itself (name, label, participant attribute, share rule, error codes) is
lib's; the key's weight column, its form, the API and the key's page iterate it, and the
planner reads each component's figures with its loader (`finance.plan_inputs.FIGURES`).
Every component that shares by a figure has a loader and a message for its
`missing_code` (a test checks)."""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

# AllocationError code about a component's figures → the message id (bokmål, translated
# where it is shown: the planner makes it a phrase) for a line that cannot be
# split, with %(m)s (the municipality), %(key)s, %(line)s, %(year)s (the budget year),
# %(ref)s (the population's reference year) and %(sum)s (the participants' figures added).
MESSAGES: dict[str, str] = {
    "population_missing": _(
        "Mangler folketall for %(m)s per 1. januar %(ref)s (nøkkel «%(key)s», linje «%(line)s»)."
    ),
    "population_zero": _("Samlet folketall er 0 (nøkkel «%(key)s»)."),
    "usage_missing": _(
        "Mangler forbruk for %(m)s i %(year)s (nøkkel «%(key)s», linje «%(line)s»)."
    ),
    "usage_zero": _("Samlet forbruk i %(year)s er 0 (nøkkel «%(key)s», linje «%(line)s»)."),
    "fixed_missing": _("Mangler fast prosent for %(m)s (nøkkel «%(key)s», linje «%(line)s»)."),
    "fixed_sum": _(
        "De faste prosentene i nøkkel «%(key)s» summerer til %(sum)s for "
        "deltakerne på linje «%(line)s», ikke 100."
    ),
}

# The same, said of the key's preview (an amount split on the key's page, no budget line):
# the preview is no line named «forhåndsvisning» (clerk's trial).
PREVIEW_MESSAGES: dict[str, str] = {
    "population_missing": _(
        "I forhåndsvisningen mangler folketall for %(m)s per 1. januar %(ref)s (nøkkel «%(key)s»)."
    ),
    "population_zero": MESSAGES["population_zero"],
    "usage_missing": _(
        "I forhåndsvisningen mangler forbruk for %(m)s i %(year)s (nøkkel «%(key)s»)."
    ),
    "usage_zero": _("I forhåndsvisningen er samlet forbruk i %(year)s 0 (nøkkel «%(key)s»)."),
    "fixed_missing": _("I forhåndsvisningen mangler fast prosent for %(m)s (nøkkel «%(key)s»)."),
    "fixed_sum": _(
        "De faste prosentene i nøkkel «%(key)s» summerer til %(sum)s for "
        "deltakerne i forhåndsvisningen, ikke 100."
    ),
}
