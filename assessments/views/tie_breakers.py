"""Settling a close call on its result page with the version's tie-breakers
(services.tie_breakers.tie_breakers_answer, as the API)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from quizzes import selectors as quiz_selectors

from ..browser import anonymous_assessments
from ..forms import TieBreakersForm
from ..models import Assessment
from ..services.tie_breakers import tie_breakers_answer
from .assessment import assessment_page, viewable_assessment


@require_POST
@never_cache
def tie_breakers_view(request, assessment_id):
    """The answers to the tie-breakers of a close call the viewer may see (their own, or this
    browser's); anyone else's result is 404. Refused answers show the page again (400)."""
    assessment = viewable_assessment(request, assessment_id)
    form = TieBreakersForm(
        request.POST,
        questions=quiz_selectors.tie_breakers_to_answer(version=assessment.version),
    )
    try:
        if not form.is_valid():
            return assessment_page(request, assessment, tie_breakers_form=form, status=400)
        tie_breakers_answer(
            assessment_id=assessment.pk,
            user=request.user,
            answers=form.answers(),
            client_id=form.cleaned_data["client_id"],
            anonymous_assessments=anonymous_assessments(request),
        )
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    except ValidationError as error:
        form.add_service_errors(error)
        assessment = viewable_assessment(request, assessment_id)
        return assessment_page(request, assessment, tie_breakers_form=form, status=400)
    messages.success(request, _("Settled: your result now counts the tie-breakers too."))
    return redirect("assessments:result", assessment_id=assessment_id)
