from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import AssessmentStepForm
from .models import Assessment, QuizVersion
from .progress import (
    anonymous_results,
    progress_forget,
    progress_load,
    progress_store,
    remember_anonymous_result,
)
from .scoring import margin_in_words

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


@never_cache
def assessment_start_view(request):
    version = _current_version()
    questions = selectors.question_list(version=version)
    progress = progress_load(request, version)
    answered = len(progress.answers)
    resume_step = _first_incomplete_step(_pages(questions), progress.answers)
    return render(
        request,
        "quizzes/start.html",
        {
            "version": version,
            "question_count": len(questions),
            "page_count": len(_pages(questions)),
            "answered": answered,
            "resume_step": resume_step,
        },
    )


def _first_incomplete_step(pages, answers) -> int:
    for number, page in enumerate(pages, start=1):
        if any(question.pk not in answers for question in page):
            return number
    return len(pages)


@require_POST
def assessment_restart_view(request):
    progress_forget(request)
    return redirect("quizzes:step", step=1)


@never_cache
def assessment_step_view(request, step):
    version = _current_version()
    questions = selectors.question_list(version=version)
    pages = _pages(questions)
    if not 1 <= step <= len(pages):
        raise Http404("No such page of questions.")
    progress = progress_load(request, version)
    page_questions = pages[step - 1]
    is_last = step == len(pages)

    if request.method != "POST":
        # Pages are taken in order: jumping ahead lands on the first page still to answer.
        first_incomplete = _first_incomplete_step(pages, progress.answers)
        if step > first_incomplete:
            return redirect("quizzes:step", step=first_incomplete)
        form = AssessmentStepForm(
            questions=page_questions,
            initial={
                "version": version.pk,
                "client_id": progress.client_id,
                **{
                    AssessmentStepForm.field_name(question): progress.answers.get(question.pk)
                    for question in page_questions
                },
            },
        )
        return _render_step(request, form, version, step, pages, questions)

    going_back = request.POST.get("action") == "back"
    form = AssessmentStepForm(
        request.POST, questions=page_questions, require_answers=not going_back
    )
    form.is_valid()  # cleaned_data keeps the valid fields even when others are not
    posted_client_id = form.cleaned_data.get("client_id")
    posted_version = form.cleaned_data.get("version")
    if posted_client_id is not None and posted_client_id != progress.client_id:
        # A replayed submit whose assessment exists goes to that result.
        replayed = _replayed_assessment(request, posted_client_id)
        if replayed is not None:
            return redirect(replayed)
        if progress.is_new:
            # The first post of an attempt (answered in full or not): the id the page was
            # rendered with becomes its id.
            progress.client_id = posted_client_id
        else:
            form.add_error(
                None, "This page is out of date. Please answer the questions shown here."
            )
    if posted_version is not None and posted_version != version.pk:
        form.add_error(None, "The questions have been updated. Please answer them again.")
    if form.errors:
        # Shown again, the page must belong to the current attempt, or it could never be sent.
        form.data = form.data.copy()
        form.data["client_id"] = str(progress.client_id)
        form.data["version"] = str(version.pk)

    progress.answers.update(form.valid_answers())
    progress_store(request, version, progress)
    if going_back:
        return redirect("quizzes:step", step=max(step - 1, 1))
    if not form.is_valid():
        return _render_step(request, form, version, step, pages, questions, status=400)
    if not is_last:
        return redirect("quizzes:step", step=step + 1)

    try:
        assessment, _ = services.assessment_submit(
            version=version,
            answers=progress.answers.items(),
            client_id=progress.client_id,
            user=request.user,
        )
    except services.InvalidAnswers as errors:
        form.add_answer_errors(errors.by_question)
        missing_elsewhere = set(errors.by_question) - {question.pk for question in page_questions}
        if missing_elsewhere:
            messages.error(request, "Some earlier questions still need an answer.")
            return redirect("quizzes:step", step=_first_incomplete_step(pages, progress.answers))
        return _render_step(request, form, version, step, pages, questions, status=400)
    except services.ClientIdTaken:
        progress_forget(request)
        messages.error(request, "That attempt could not be saved. Please start again.")
        return redirect("quizzes:start")
    progress_forget(request)
    if not request.user.is_authenticated:
        remember_anonymous_result(request, assessment.pk)
    return redirect(assessment)


def _replayed_assessment(request, client_id):
    return selectors.assessment_for_replay(
        client_id=client_id,
        user=request.user,
        session_assessment_ids=anonymous_results(request),
    )


def _render_step(request, form, version, step, pages, questions, status=200):
    first_number = sum(len(page) for page in pages[: step - 1]) + 1
    last_number = first_number + len(pages[step - 1]) - 1
    return render(
        request,
        "quizzes/step.html",
        {
            "form": form,
            "version": version,
            "step": step,
            "page_count": len(pages),
            "is_last": step == len(pages),
            "first_number": first_number,
            "last_number": last_number,
            "question_count": len(questions),
            "percent_done": round(100 * (first_number - 1) / len(questions)),
        },
        status=status,
    )


def _viewable_assessment(request, assessment_id):
    try:
        return selectors.assessment_get_for_viewer(
            assessment_id=assessment_id,
            user=request.user,
            session_assessment_ids=anonymous_results(request),
        )
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None


def result_view(request, assessment_id):
    assessment = _viewable_assessment(request, assessment_id)
    scores = list(assessment.scores.all())
    answers = list(assessment.answers.all())
    reasons = sorted(
        (answer for answer in answers if answer.reason_rank), key=lambda a: a.reason_rank
    )
    tools = [recommended.tool for recommended in assessment.recommended_tools.all()]
    return render(
        request,
        "quizzes/result.html",
        {
            "assessment": assessment,
            "scores": scores,
            "runner_up": scores[1] if len(scores) > 1 else None,
            "margin_words": margin_in_words(assessment.margin),
            "reasons": reasons,
            "answers": answers,
            "tools": tools,
            "is_saved": assessment.user_id is not None,
            "login_url": f"{reverse('accounts:login')}?next={assessment.get_absolute_url()}",
            "signup_url": f"{reverse('accounts:signup')}?next={assessment.get_absolute_url()}",
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
