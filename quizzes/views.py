from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import caching
from core.caching import PageKey, cache_personal_page, cache_public_page

from . import charts, peers, scoring, selectors, services
from .forms import AssessmentStepForm, FeedbackForm
from .models import FEEDBACK_COMMENT_MAX, Assessment, QuizVersion, ResultFeedback
from .progress import (
    anonymous_attempt,
    anonymous_results,
    attempt_check,
    attempt_finished,
    progress_clear,
    progress_load,
    progress_save,
)

QUESTIONS_PER_PAGE = 6


def _current_version():
    try:
        return selectors.current_version_get()
    except QuizVersion.DoesNotExist:
        raise Http404("No assessment is open at the moment.") from None


def _pages(questions):
    return [
        questions[start : start + QUESTIONS_PER_PAGE]
        for start in range(0, len(questions), QUESTIONS_PER_PAGE)
    ]


def _first_incomplete_step(pages, answers) -> int:
    for number, page in enumerate(pages, start=1):
        if any(question.pk not in answers for question in page):
            return number
    return len(pages)


@cache_public_page()
@never_cache
def assessment_start_view(request):
    version = _current_version()
    pages = _pages(selectors.questions_to_answer(version=version))
    progress = progress_load(request, version)
    return render(
        request,
        "quizzes/start.html",
        {
            "version": version,
            "question_count": sum(len(page) for page in pages),
            "page_count": len(pages),
            "answered": len(progress.answers),
            "resume_step": _first_incomplete_step(pages, progress.answers),
        },
    )


@require_POST
def assessment_restart_view(request):
    progress_clear(request)
    return redirect("quizzes:step", step=1)


@never_cache
def assessment_step_view(request, step):
    """One page of questions. Each post keeps its answers; the last one submits them all."""
    version = _current_version()
    pages = _pages(selectors.questions_to_answer(version=version))
    if not 1 <= step <= len(pages):
        raise Http404("No such page of questions.")
    progress = progress_load(request, version)
    if request.method != "POST":
        # Pages are taken in order: jumping ahead lands on the first page still to answer.
        first_incomplete = _first_incomplete_step(pages, progress.answers)
        if step > first_incomplete:
            return redirect("quizzes:step", step=first_incomplete)
        # The form is built only if its questions are not kept already (or a test reads it).
        questions = pages[step - 1]
        form = SimpleLazyObject(
            lambda: AssessmentStepForm.for_attempt(questions, version, progress)
        )
        answers = ",".join(str(progress.answers.get(question.pk, "")) for question in questions)
        return _render_step(
            request, form, version, step, pages, client_id=progress.client_id, answers=answers
        )

    going_back = request.POST.get("action") == "back"
    form = AssessmentStepForm(
        request.POST, questions=pages[step - 1], require_answers=not going_back
    )
    form.is_valid()  # cleaned_data keeps the valid fields even when others are not
    posted = attempt_check(
        request,
        progress,
        version=version,
        posted_client_id=form.cleaned_data.get("client_id"),
        posted_version_id=form.cleaned_data.get("version"),
    )
    if posted.replayed is not None:
        return redirect(posted.replayed)
    if posted.problem:
        form.add_error(None, posted.problem)
    progress.answers.update(form.valid_answers())
    is_last = step == len(pages)
    if going_back or not is_last or not form.is_valid():
        progress_save(request, version, progress)
    if going_back:
        return redirect("quizzes:step", step=max(step - 1, 1))
    if not form.is_valid():
        form.tie_to_attempt(version, progress)
        return _render_step(
            request, form, version, step, pages, client_id=progress.client_id, status=400
        )
    if not is_last:
        return redirect("quizzes:step", step=step + 1)
    return _submit(request, form, version, pages, progress)


def _submit(request, form, version, pages, progress):
    """The last page: score and save every answer of the attempt."""
    try:
        assessment, _ = services.assessment_submit(
            version=version,
            answers=progress.answers.items(),
            client_id=progress.client_id,
            user=request.user,
            anonymous_results=anonymous_results(request),
            anonymous_attempt=anonymous_attempt(request, progress),
        )
    except services.InvalidAnswers as errors:
        progress_save(request, version, progress)
        form.add_answer_errors(errors.by_question)
        if set(errors.by_question) - {question.pk for question in form.questions}:
            messages.error(request, "Some earlier questions still need an answer.")
            return redirect("quizzes:step", step=_first_incomplete_step(pages, progress.answers))
        form.tie_to_attempt(version, progress)
        return _render_step(
            request, form, version, len(pages), pages, client_id=progress.client_id, status=400
        )
    except services.ClientIdTaken:
        progress_clear(request)
        messages.error(request, "That attempt could not be saved. Please start again.")
        return redirect("quizzes:start")
    attempt_finished(request, assessment)
    return redirect(assessment)


def _render_step(request, form, version, step, pages, *, client_id, answers=None, status=200):
    """A page of questions. `answers` (the page's answers so far, as a key) is given when the
    page is shown fresh, without errors: then its rendered questions are kept per version,
    page and answers, since rendering them is most of the page's cost."""
    first_number = sum(len(page) for page in pages[: step - 1]) + 1
    last_number = first_number + len(pages[step - 1]) - 1
    question_count = sum(len(page) for page in pages)
    context = {
        "form": form,
        "has_errors": answers is None and bool(form.errors),
        "version": version,
        "client_id": client_id,
        "step": step,
        "page_count": len(pages),
        "is_last": step == len(pages),
        "first_number": first_number,
        "last_number": last_number,
        "question_count": question_count,
        "percent_done": round(100 * (first_number - 1) / question_count),
    }
    if answers is not None:
        context["questions_html"] = caching.catalog_data(
            name=f"step:{version.pk}:{step}:{answers}",
            build=lambda: render_to_string("quizzes/_questions.html", context),
            shared=False,
        )
    return render(request, "quizzes/step.html", context, status=status)


def _viewable_assessment(request, assessment_id):
    try:
        return selectors.assessment_get_for_viewer(
            assessment_id=assessment_id,
            user=request.user,
            session_assessment_ids=anonymous_results(request),
        )
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None


def _result_page_key(request) -> PageKey:
    """Besides the owner's history (the decorator's part), a result page shows everyone's
    counted results: a submission or deletion by anyone changes the page."""
    return PageKey(params=(("peers", caching.peers_version() or ""),), cacheable=not request.GET)


# A saved result never changes (its version is frozen); its owner's page is kept until their
# history changes (a deletion, a claim, their feedback) or everyone's counts do, per session
# because it holds the CSRF token.
@cache_personal_page(key=_result_page_key)
@never_cache  # someone's result, even an anonymous person's: never kept by a browser or proxy
def result_view(request, assessment_id):
    return _render_result(request, _viewable_assessment(request, assessment_id))


def _own_feedback(assessment) -> ResultFeedback | None:
    try:
        return assessment.feedback
    except ResultFeedback.DoesNotExist:
        return None


def _render_result(request, assessment, *, feedback_form=None, status=200):
    """The result page; `feedback_form` is given when a feedback post was refused (400)."""
    scores = list(assessment.scores.all())
    tools = [recommended.tool for recommended in assessment.recommended_tools.all()]
    figures = selectors.peer_figures(assessment=assessment)
    # "Does this feel right?" is asked of the owner of a saved result only, and the answer
    # (with its comment) is shown to them only.
    is_owner = request.user.is_authenticated and assessment.user_id == request.user.pk
    feedback = _own_feedback(assessment) if is_owner else None
    return render(
        request,
        "quizzes/result.html",
        {
            "assessment": assessment,
            "scores": scores,
            "runner_up": scores[1] if len(scores) > 1 else None,
            "margin_words": scoring.margin_in_words(assessment.margin),
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
            "feedback": feedback,
            "feedback_form": (
                FeedbackForm.for_feedback(feedback) if feedback_form is None else feedback_form
            ),
            "feedback_refused": feedback_form is not None,
        },
        status=status,
    )


@require_POST
@never_cache
def feedback_view(request, assessment_id):
    """ "Does this feel right?": set or change the owner's answer; anyone else's result is 404."""
    form = FeedbackForm(request.POST)
    form.is_valid()  # it only reads the post: services.feedback_set judges it
    try:
        services.feedback_set(
            assessment_id=assessment_id,
            user=request.user,
            feels_right=form.cleaned_data["feels_right"],
            comment=form.cleaned_data["comment"],
        )
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    except ValidationError as error:
        form.add_service_errors(error)
        assessment = _viewable_assessment(request, assessment_id)
        return _render_result(request, assessment, feedback_form=form, status=400)
    messages.success(request, "Thank you: your answer is saved.")
    return redirect("quizzes:result", assessment_id=assessment_id)


@require_POST
def feedback_delete_view(request, assessment_id):
    """Take back the owner's answer to "does this feel right?"."""
    try:
        services.feedback_delete(assessment_id=assessment_id, user=request.user)
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    messages.success(request, "Your answer was removed.")
    return redirect("quizzes:result", assessment_id=assessment_id)


# Not cached: its figures change with every result kept and every answer to "does this feel
# right?" (three queries whatever their number).
def methodology_view(request):
    return render(
        request,
        "quizzes/methodology.html",
        {
            "figures": selectors.methodology_figures(),
            "close_call_below": scoring.CLOSE_CALL_BELOW,
            "reason_count": scoring.REASON_COUNT,
            "min_results": settings.PEERS_MIN_RESULTS,
            "smallest_bar": peers.SMALLEST_BAR,
            "band_width": peers.LEAN_BAND_WIDTH,
            "comment_max": FEEDBACK_COMMENT_MAX,
        },
    )


@login_required
def result_delete_view(request, assessment_id):
    try:
        assessment = selectors.assessment_get_owned(assessment_id=assessment_id, user=request.user)
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    if request.method == "POST":
        services.assessment_delete(assessment_id=assessment.pk, user=request.user)
        messages.success(request, "The assessment was deleted.")
        return redirect("accounts:profile")
    return render(request, "quizzes/result_confirm_delete.html", {"assessment": assessment})
