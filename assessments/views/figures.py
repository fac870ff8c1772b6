"""The methodology page: how the fit is worked out, and how each version's results were
received (selectors.figures.methodology_get, the presenter the API and the admin read too)."""

from django.shortcuts import render

from ..selectors.evidence import definitions, evidence_list
from ..selectors.figures import methodology_get
from ..selectors.outcomes import outcomes_get


# Not cached: its figures change with every result kept and every answer to "does this feel
# right?" (three queries for the figures and seven for the evidence, whatever their
# number).
def methodology_view(request):
    methodology = methodology_get()
    context = {
        "methodology": methodology,
        "evidence": evidence_list(),
        "evidence_definitions": definitions(),
        "outcomes": outcomes_get(versions=[row.version for row in methodology.versions]),
    }
    return render(request, "assessments/methodology.html", context)
