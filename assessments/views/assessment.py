"""An assessment's page (people read "your result"), and deleting one. The page's pieces for
feedback, sharing and re-scoring are posted to their own views, which show it again (400)
when a post is refused."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core import caching
from core.caching import PageKey, cache_personal_page
from core.security import site_url
from quizzes import scoring
from quizzes import selectors as quiz_selectors

from .. import charts, following
from ..browser import anonymous_assessments
from ..forms import FeedbackForm, ShareForm, TieBreakersForm
from ..models import SHARE_LINKS_LIVE_MAX, Assessment, ResultFeedback
from ..selectors.assessment import assessment_get_for_viewer, assessment_get_owned
from ..selectors.figures import peer_figures
from ..selectors.follow_up import follow_up_of
from ..selectors.sharing import share_list
from ..services.assessment import assessment_delete
from ..services.tie_breakers import tie_breakers_refusal


def viewable_assessment(request, assessment_id) -> Assessment:
    """The assessment the viewer may see (their own, or one this browser took); else 404."""
    try:
        return assessment_get_for_viewer(
            assessment_id=assessment_id,
            user=request.user,
            session_assessment_ids=anonymous_assessments(request),
        )
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None


def _assessment_page_key(request) -> PageKey:
    """Besides the owner's history and everyone's counted results (the decorator's part: a
    submission or deletion by anyone changes the page), a result page offers to re-score a
    result whose version is no longer current: publishing (a catalog change) changes it too."""
    return PageKey(
        params=(("catalog", caching.catalog_version() or ""),),
        cacheable=not request.GET,
    )


# A saved result never changes (its version is frozen); its owner's page is kept until their
# history changes (a deletion, a claim, their feedback) or everyone's counts do, per session
# because it holds the CSRF token.
@cache_personal_page(key=_assessment_page_key, with_peers=True)
@never_cache  # someone's result, even an anonymous person's: never kept by a browser or proxy
def assessment_view(request, assessment_id):
    return assessment_page(request, viewable_assessment(request, assessment_id))


def _own_feedback(assessment) -> ResultFeedback | None:
    try:
        return assessment.feedback
    except ResultFeedback.DoesNotExist:
        return None


def assessment_page(
    request,
    assessment,
    *,
    feedback_form=None,
    share_form=None,
    tie_breakers_form=None,
    follow_up_error="",
    status=200,
):
    """The result page; `feedback_form`, `share_form` or `tie_breakers_form` is given when a
    post of that form was refused (400), `follow_up_error` when the follow-up's checkbox was."""
    scores = list(assessment.scores.all())
    tools = [recommended.tool for recommended in assessment.recommended_tools.all()]
    figures = peer_figures(assessment=assessment)
    # "Does this feel right?" is asked of the owner of a saved result only, and the answer
    # (with its comment) is shown to them only; so are sharing and the live links.
    is_owner = request.user.is_authenticated and assessment.user_id == request.user.pk
    feedback = _own_feedback(assessment) if is_owner else None
    share_links = share_list(assessment_id=assessment.pk, user=request.user) if is_owner else []
    # A close call not yet settled offers its tie-breakers to whoever may see it (the owner,
    # or the browser that took it before signing up).
    offers_tie_breakers = tie_breakers_refusal(assessment) is None
    if offers_tie_breakers and tie_breakers_form is None:
        tie_breakers_form = TieBreakersForm(
            questions=quiz_selectors.tie_breakers_to_answer(version=assessment.version),
            initial={"client_id": uuid.uuid4()},
        )
    return render(
        request,
        "assessments/result.html",
        {
            "assessment": assessment,
            "scores": scores,
            "runner_up": scores[1] if len(scores) > 1 else None,
            "margin_words": margin_words(assessment.margin),
            "reasons": assessment.reason_answers,
            "answers": assessment.answers.all(),
            "tools": tools,
            "is_saved": assessment.user_id is not None,
            "login_url": f"{reverse('accounts:login')}?next={assessment.get_absolute_url()}",
            "signup_url": f"{reverse('accounts:signup')}?next={assessment.get_absolute_url()}",
            "figures": figures,
            "lean_chart": (
                charts.lean_chart(
                    figures.histogram, toward=figures.toward, away=figures.away, you=figures.you
                )
                if figures.shown
                else None
            ),
            "asks_feedback": is_owner,
            # A result on a version people no longer take can be read under today's questions.
            "can_rescore": is_owner and not assessment.version.is_current,
            "feedback": feedback,
            "feedback_form": (
                FeedbackForm.for_feedback(feedback) if feedback_form is None else feedback_form
            ),
            "feedback_refused": feedback_form is not None,
            "can_share": is_owner,
            "share_form": ShareForm() if share_form is None else share_form,
            "share_links": share_links,
            "site_address": site_url(request),  # a link is shown whole, to copy
            "share_links_max": SHARE_LINKS_LIVE_MAX,
            "tie_breakers_form": tie_breakers_form if offers_tie_breakers else None,
            # Refused answers to tie-breakers no longer offered (settled meanwhile): say why.
            "tie_breakers_refused": None if offers_tie_breakers else tie_breakers_form,
            "first_reading": first_reading_rows(assessment, scores),
            **_follow_up_context(request, assessment, is_owner=is_owner, error=follow_up_error),
        },
        status=status,
    )


def first_reading_rows(assessment, scores) -> list[tuple[str, int]] | None:
    """A settled close call's first reading (the quiz's own) as (role name, percent), best
    first; None for a result not settled with tie-breakers."""
    if not assessment.settled_by_tie_breakers or not assessment.first_reading:
        return None
    names = {score.role.slug: score.role.name for score in scores}
    return [
        (names.get(row["role"], row["role"]), row["percent"])
        for row in assessment.first_reading["scores"]
    ]


def _follow_up_context(request, assessment, *, is_owner: bool, error: str) -> dict:
    """The six-month follow-up's checkbox, for the owner of a kept result."""
    if not is_owner:
        return {"offers_follow_up": False}
    return {
        "offers_follow_up": True,
        "follow_up": follow_up_of(assessment=assessment),
        "follow_up_wording": _(following.WORDINGS[following.WORDING_VERSION]),
        "follow_up_wording_version": following.WORDING_VERSION,
        "follow_up_error": error,
        "email_confirmed": bool(request.user.email),
    }


def margin_words(margin: int) -> str:
    """ "a clear lean" or "a close call" in the active language (scoring.py is pure)."""
    return _(scoring.margin_in_words(margin))


@login_required
def assessment_delete_view(request, assessment_id):
    try:
        assessment = assessment_get_owned(assessment_id=assessment_id, user=request.user)
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    if request.method == "POST":
        assessment_delete(assessment_id=assessment.pk, user=request.user)
        messages.success(request, _("The assessment was deleted."))
        return redirect("accounts:profile")
    return render(request, "assessments/result_confirm_delete.html", {"assessment": assessment})
