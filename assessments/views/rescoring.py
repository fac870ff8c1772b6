"""Reading one's own assessment under the current questions: the new questions to answer,
the comparison (selectors.rescoring.rescore_comparison, as the API shows it), and saving it
as a new assessment."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from quizzes import selectors as quiz_selectors

from .. import rescoring
from ..forms import RescoreForm
from ..models import Assessment
from ..selectors.assessment import assessment_get_owned
from ..selectors.rescoring import rescore_comparison, rescore_preview
from ..services.assessment import ClientIdTaken
from ..services.rescoring import assessment_rescore
from .assessment import assessment_page, viewable_assessment


def _owned_assessment(request, assessment_id) -> Assessment:
    try:
        return assessment_get_owned(assessment_id=assessment_id, user=request.user)
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def rescore_view(request, assessment_id):
    """One's own result under the current questions: the new questions to answer, then
    (posted, "Compare") the comparison, then ("Save as a new result") a new result that links
    back to it. Nothing is written before that save; anyone else's result is 404."""
    assessment = _owned_assessment(request, assessment_id)
    try:
        preview = rescore_preview(assessment=assessment)
    except ValidationError as error:
        return _not_rescorable(request, assessment_id, error)
    questions = _new_questions(preview)
    to_version = preview.to_version
    action = request.POST.get("action") if request.method == "POST" else None
    if action is None and preview.comparison is not None:
        # Every answer carries over: nothing to ask, the comparison at once.
        return _render_comparison(request, preview, hidden_answers=[])
    if action is None:
        form = RescoreForm(questions=questions, version=to_version)
        return _render_rescore_questions(request, preview, form)
    if action == "change":
        form = RescoreForm.for_change(request.POST, questions=questions, version=to_version)
        return _render_rescore_questions(request, preview, form)
    saving = action == "save"
    form = RescoreForm(request.POST, questions=questions, version=to_version, saving=saving)
    if not form.is_valid():
        return _render_rescore_questions(request, preview, form, status=400)
    if saving:
        return _rescore_save(request, preview, form)
    try:
        compared = rescore_preview(assessment=assessment, answers=form.answers())
    except ValidationError as error:  # the form asks only the new questions: not expected
        form.add_error(None, error.messages)
        return _render_rescore_questions(request, preview, form, status=400)
    return _render_comparison(request, compared, hidden_answers=form.hidden_answers())


def _new_questions(preview) -> list:
    """The current version's questions the person answers afresh, in the version's order."""
    wanted = set(preview.missing_ids)
    return [
        question
        for question in quiz_selectors.questions_to_answer(version=preview.to_version)
        if question.pk in wanted
    ]


def _not_rescorable(request, assessment_id, error: ValidationError):
    """Already on the current questions (or none are open): the result page with the
    message; a 400 when it was a post."""
    message = " ".join(error.messages)
    if request.method == "POST":
        messages.error(request, message)
        return assessment_page(request, viewable_assessment(request, assessment_id), status=400)
    messages.info(request, message)
    return redirect("assessments:result", assessment_id=assessment_id)


def _rescore_save(request, preview, form):
    try:
        new, _created = assessment_rescore(
            assessment_id=preview.assessment.pk,
            user=request.user,
            answers=form.answers(),
            client_id=form.cleaned_data["client_id"],
            language=translation.get_language(),
        )
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    except ClientIdTaken:
        form.add_error(
            None, _("This page was used to save another result: compare again, then save.")
        )
        return _render_rescore_questions(request, preview, form, status=400)
    except ValidationError as error:
        if "detail" in error.message_dict:
            return _not_rescorable(request, preview.assessment.pk, error)
        form.add_error(None, error.messages)
        return _render_rescore_questions(request, preview, form, status=400)
    messages.success(request, _("Saved as a new result. Your earlier result stays as it was."))
    return redirect(new)


def _render_rescore_questions(request, preview, form, *, status=200):
    return render(
        request,
        "assessments/rescore.html",
        {
            "assessment": preview.assessment,
            "to_version": preview.to_version,
            "form": form,
            "has_errors": form.is_bound and bool(form.errors),
            "carried_count": len(preview.carried),
            "question_count": len(form.questions),
            "first_number": 1,
        },
        status=status,
    )


def _signed(points: float) -> str:
    """Percentage points as people read a change, in the page's language: "+3", "-2.5", "0"."""
    if not points:
        return "0"
    return f"{'+' if points > 0 else '-'}{floatformat(abs(points), -1)}"


def _render_comparison(request, preview, *, hidden_answers):
    """The old and the new reading side by side and what moved it. The answers given go with
    the save, under a client_id made now: a double click or a retry saves one result."""
    comparison = rescore_comparison(preview=preview)
    changes = {
        kind: [
            {
                "text": change.question_text,
                "answer": change.answer,
                "effects": [
                    (effect.role_name, _signed(effect.points)) for effect in change.effects
                ],
            }
            for change in comparison.changes_of(kind)
        ]
        for kind in (rescoring.REMOVED, rescoring.REWEIGHTED, rescoring.ANSWERED)
    }
    return render(
        request,
        "assessments/rescore_compare.html",
        {
            "assessment": preview.assessment,
            "to_version": preview.to_version,
            "fits": [
                {
                    "name": fit.role_name,
                    "before": fit.before,
                    "after": fit.after,
                    "change": "" if fit.change is None else _signed(fit.change),
                }
                for fit in comparison.fits
            ],
            "old": comparison.old,
            "new": comparison.new,
            "same_lean": comparison.old.top_role == comparison.new.top_role,
            "removed": changes[rescoring.REMOVED],
            "answered": changes[rescoring.ANSWERED],
            "reweighted": changes[rescoring.REWEIGHTED],
            "carried_count": comparison.carried,
            "hidden_answers": hidden_answers,
            "client_id": uuid.uuid4(),
        },
    )
