"""Taking the assessment: the start page and the pages of questions, the last of which
submits the attempt."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import caching
from core.caching import cache_public_page
from quizzes import selectors as quiz_selectors
from quizzes.models import QuizVersion

from ..answers import InvalidAnswers
from ..browser import (
    anonymous_assessments,
    anonymous_attempt,
    attempt_check,
    attempt_finished,
    browser_attempt_clear,
    browser_attempt_load,
    browser_attempt_save,
)
from ..forms import AssessmentStepForm
from ..services.assessment import ClientIdTaken, assessment_submit

QUESTIONS_PER_PAGE = 6


def _current_version():
    try:
        return quiz_selectors.current_version_get()
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
    pages = _pages(quiz_selectors.questions_to_answer(version=version))
    attempt = browser_attempt_load(request, version)
    return render(
        request,
        "assessments/start.html",
        {
            "version": version,
            "question_count": sum(len(page) for page in pages),
            "page_count": len(pages),
            "answered": len(attempt.answers),
            "resume_step": _first_incomplete_step(pages, attempt.answers),
        },
    )


@require_POST
def assessment_restart_view(request):
    browser_attempt_clear(request)
    return redirect("assessments:step", step=1)


@never_cache
def assessment_step_view(request, step):
    """One page of questions. Each post keeps its answers; the last one submits them all."""
    version = _current_version()
    pages = _pages(quiz_selectors.questions_to_answer(version=version))
    if not 1 <= step <= len(pages):
        raise Http404("No such page of questions.")
    attempt = browser_attempt_load(request, version)
    if request.method != "POST":
        # Pages are taken in order: jumping ahead lands on the first page still to answer.
        first_incomplete = _first_incomplete_step(pages, attempt.answers)
        if step > first_incomplete:
            return redirect("assessments:step", step=first_incomplete)
        # The form is built only if its questions are not kept already (or a test reads it).
        questions = pages[step - 1]
        form = SimpleLazyObject(lambda: AssessmentStepForm.for_attempt(questions, version, attempt))
        answers = ",".join(str(attempt.answers.get(question.pk, "")) for question in questions)
        return _render_step(
            request, form, version, step, pages, client_id=attempt.client_id, answers=answers
        )

    going_back = request.POST.get("action") == "back"
    form = AssessmentStepForm(
        request.POST, questions=pages[step - 1], require_answers=not going_back
    )
    form.is_valid()  # cleaned_data keeps the valid fields even when others are not
    posted = attempt_check(
        request,
        attempt,
        version=version,
        posted_client_id=form.cleaned_data.get("client_id"),
        posted_version_id=form.cleaned_data.get("version"),
    )
    if posted.replayed is not None:
        return redirect(posted.replayed)
    if posted.problem:
        form.add_error(None, posted.problem)
    attempt.answers.update(form.valid_answers())
    is_last = step == len(pages)
    if going_back or not is_last or not form.is_valid():
        browser_attempt_save(request, version, attempt)
    if going_back:
        return redirect("assessments:step", step=max(step - 1, 1))
    if not form.is_valid():
        form.tie_to_attempt(version, attempt)
        return _render_step(
            request, form, version, step, pages, client_id=attempt.client_id, status=400
        )
    if not is_last:
        return redirect("assessments:step", step=step + 1)
    return _submit(request, form, version, pages, attempt)


def _submit(request, form, version, pages, attempt):
    """The last page: score and save every answer of the attempt."""
    try:
        assessment, _created = assessment_submit(
            version=version,
            answers=attempt.answers.items(),
            client_id=attempt.client_id,
            user=request.user,
            anonymous_assessments=anonymous_assessments(request),
            anonymous_attempt=anonymous_attempt(request, attempt),
            language=translation.get_language(),
        )
    except InvalidAnswers as errors:
        browser_attempt_save(request, version, attempt)
        form.add_answer_errors(errors.by_question)
        if set(errors.by_question) - {question.pk for question in form.questions}:
            messages.error(request, _("Some earlier questions still need an answer."))
            first_incomplete = _first_incomplete_step(pages, attempt.answers)
            return redirect("assessments:step", step=first_incomplete)
        form.tie_to_attempt(version, attempt)
        return _render_step(
            request, form, version, len(pages), pages, client_id=attempt.client_id, status=400
        )
    except ClientIdTaken:
        browser_attempt_clear(request)
        messages.error(request, _("That attempt could not be saved. Please start again."))
        return redirect("assessments:start")
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
            build=lambda: render_to_string("assessments/_questions.html", context),
            shared=False,
        )
    return render(request, "assessments/step.html", context, status=status)
