""" "Does this feel right?": the owner's answer on their assessment's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..forms import FeedbackForm
from ..models import Assessment
from ..services.feedback import feedback_delete, feedback_set
from .assessment import assessment_page, viewable_assessment


@require_POST
@never_cache
def feedback_view(request, assessment_id):
    """ "Does this feel right?": set or change the owner's answer; anyone else's result is 404."""
    form = FeedbackForm(request.POST)
    form.is_valid()  # it only reads the post: services.feedback_set judges it
    try:
        feedback_set(
            assessment_id=assessment_id,
            user=request.user,
            feels_right=form.cleaned_data["feels_right"],
            comment=form.cleaned_data["comment"],
        )
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    except ValidationError as error:
        form.add_service_errors(error)
        assessment = viewable_assessment(request, assessment_id)
        return assessment_page(request, assessment, feedback_form=form, status=400)
    messages.success(request, _("Thank you: your answer is saved."))
    return redirect("assessments:result", assessment_id=assessment_id)


@require_POST
def feedback_delete_view(request, assessment_id):
    """Take back the owner's answer to "does this feel right?"."""
    try:
        feedback_delete(assessment_id=assessment_id, user=request.user)
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    messages.success(request, _("Your answer was removed."))
    return redirect("assessments:result", assessment_id=assessment_id)
