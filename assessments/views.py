import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core import caching
from core.caching import PageKey, cache_personal_page, cache_public_page
from core.security import site_url
from quizzes import scoring
from quizzes import selectors as quiz_selectors
from quizzes.models import QuizVersion

from . import cards, charts, peers, rescoring, selectors, services
from .forms import AssessmentStepForm, FeedbackForm, RescoreForm, ShareForm
from .models import (
    FEEDBACK_COMMENT_MAX,
    SHARE_LINKS_LIVE_MAX,
    Assessment,
    ResultFeedback,
    ShareLink,
)
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
    progress = progress_load(request, version)
    return render(
        request,
        "assessments/start.html",
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
    return redirect("assessments:step", step=1)


@never_cache
def assessment_step_view(request, step):
    """One page of questions. Each post keeps its answers; the last one submits them all."""
    version = _current_version()
    pages = _pages(quiz_selectors.questions_to_answer(version=version))
    if not 1 <= step <= len(pages):
        raise Http404("No such page of questions.")
    progress = progress_load(request, version)
    if request.method != "POST":
        # Pages are taken in order: jumping ahead lands on the first page still to answer.
        first_incomplete = _first_incomplete_step(pages, progress.answers)
        if step > first_incomplete:
            return redirect("assessments:step", step=first_incomplete)
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
        return redirect("assessments:step", step=max(step - 1, 1))
    if not form.is_valid():
        form.tie_to_attempt(version, progress)
        return _render_step(
            request, form, version, step, pages, client_id=progress.client_id, status=400
        )
    if not is_last:
        return redirect("assessments:step", step=step + 1)
    return _submit(request, form, version, pages, progress)


def _submit(request, form, version, pages, progress):
    """The last page: score and save every answer of the attempt."""
    try:
        assessment, _created = services.assessment_submit(
            version=version,
            answers=progress.answers.items(),
            client_id=progress.client_id,
            user=request.user,
            anonymous_results=anonymous_results(request),
            anonymous_attempt=anonymous_attempt(request, progress),
            language=translation.get_language(),
        )
    except services.InvalidAnswers as errors:
        progress_save(request, version, progress)
        form.add_answer_errors(errors.by_question)
        if set(errors.by_question) - {question.pk for question in form.questions}:
            messages.error(request, _("Some earlier questions still need an answer."))
            first_incomplete = _first_incomplete_step(pages, progress.answers)
            return redirect("assessments:step", step=first_incomplete)
        form.tie_to_attempt(version, progress)
        return _render_step(
            request, form, version, len(pages), pages, client_id=progress.client_id, status=400
        )
    except services.ClientIdTaken:
        progress_clear(request)
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
@cache_personal_page(key=_result_page_key, with_peers=True)
@never_cache  # someone's result, even an anonymous person's: never kept by a browser or proxy
def result_view(request, assessment_id):
    return _render_result(request, _viewable_assessment(request, assessment_id))


def _own_feedback(assessment) -> ResultFeedback | None:
    try:
        return assessment.feedback
    except ResultFeedback.DoesNotExist:
        return None


def _render_result(request, assessment, *, feedback_form=None, share_form=None, status=200):
    """The result page; `feedback_form` or `share_form` is given when a post of that form was
    refused (400)."""
    scores = list(assessment.scores.all())
    tools = [recommended.tool for recommended in assessment.recommended_tools.all()]
    figures = selectors.peer_figures(assessment=assessment)
    # "Does this feel right?" is asked of the owner of a saved result only, and the answer
    # (with its comment) is shown to them only; so are sharing and the live links.
    is_owner = request.user.is_authenticated and assessment.user_id == request.user.pk
    feedback = _own_feedback(assessment) if is_owner else None
    share_links = (
        selectors.share_list(assessment_id=assessment.pk, user=request.user) if is_owner else []
    )
    return render(
        request,
        "assessments/result.html",
        {
            "assessment": assessment,
            "scores": scores,
            "runner_up": scores[1] if len(scores) > 1 else None,
            "margin_words": _margin_words(assessment.margin),
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
    messages.success(request, _("Thank you: your answer is saved."))
    return redirect("assessments:result", assessment_id=assessment_id)


@require_POST
def feedback_delete_view(request, assessment_id):
    """Take back the owner's answer to "does this feel right?"."""
    try:
        services.feedback_delete(assessment_id=assessment_id, user=request.user)
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    messages.success(request, _("Your answer was removed."))
    return redirect("assessments:result", assessment_id=assessment_id)


# Sharing a result (/s/<token>/) ---------------------------------------------------------------


@require_POST
@never_cache
def share_create_view(request, assessment_id):
    """ "Create a link" on one's own result: back to the result, where the new link waits to
    be copied. Beyond the live links allowed, the result page again with the message at the
    form (400); anyone else's result is 404."""
    form = ShareForm(request.POST)
    form.is_valid()  # it only reads the post: services.share_create judges it
    try:
        services.share_create(
            assessment_id=assessment_id,
            user=request.user,
            show_name=form.cleaned_data["show_name"],
        )
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    except ValidationError as error:
        form.add_service_errors(error)
        assessment = _viewable_assessment(request, assessment_id)
        return _render_result(request, assessment, share_form=form, status=400)
    messages.success(
        request, _("Your link is ready: copy it below and send it to whoever you like.")
    )
    return redirect(f"{reverse('assessments:result', args=[assessment_id])}#share")


@require_POST
@never_cache
def share_revoke_view(request, assessment_id, token):
    """Revoke one of one's live links: it answers 404 from now on, for everyone. Back to the
    result, or to the profile when the button was there; anyone else's link is 404."""
    if not request.user.is_authenticated:
        raise Http404("No such link.")
    try:
        services.share_revoke(assessment_id=assessment_id, token=token, user=request.user)
    except ShareLink.DoesNotExist:
        raise Http404("No such link.") from None
    messages.success(request, _("The link is revoked: it no longer opens, for anyone."))
    if request.POST.get("back") == "profile":
        return redirect(f"{reverse('accounts:profile')}#shared-links")
    return redirect(f"{reverse('assessments:result', args=[assessment_id])}#share")


def _live_link(token: str) -> ShareLink:
    try:
        return selectors.share_get_live(token=token)
    except ShareLink.DoesNotExist:
        raise Http404("No such link.") from None


def _margin_words(margin: int) -> str:
    """ "a clear lean" or "a close call" in the active language (scoring.py is pure)."""
    return _(scoring.margin_in_words(margin))


def _lean_in_words(scores, margin: int) -> str:
    """The lean as a sentence about someone (the shared page and its description)."""
    top = scores[0]
    if len(scores) < 2:
        return _("%(role)s fits %(percent)s%%.") % {"role": top.role.name, "percent": top.percent}
    runner_up = scores[1]
    if margin == 0:
        return _(
            "A close call, in fact a tie: %(role)s and %(runner_up)s fit equally well "
            "(%(percent)s%%)."
        ) % {"role": top.role.name, "runner_up": runner_up.role.name, "percent": top.percent}
    return _(
        "%(lean)s towards %(role)s: %(percent)s%% against %(runner_up_percent)s%% for "
        "%(runner_up)s."
    ) % {
        "lean": _margin_words(margin).capitalize(),
        "role": top.role.name,
        "percent": top.percent,
        "runner_up_percent": runner_up.percent,
        "runner_up": runner_up.role.name,
    }


def _taken_on(assessment) -> str:
    return formats.date_format(timezone.localtime(assessment.created_at), "DATE_FORMAT")


# Shown to anyone with the link, so it holds only what the link shares: the fit per role, the
# lean, the quiz version and the date (and the name, if the owner chose so). Never cached on the
# server, nor by a browser or a proxy: a revoked link answers 404 at once, on every instance.
@never_cache
def shared_view(request, token):
    link = _live_link(token)
    assessment = link.assessment
    scores = list(assessment.scores.all())
    name = assessment.user.username if link.show_name and assessment.user else ""
    title = _("%(name)s's career fit") % {"name": name} if name else _("A career fit")
    lean = _lean_in_words(scores, assessment.margin)
    taken_on = _taken_on(assessment)
    site = site_url(request)
    response = render(
        request,
        "assessments/shared.html",
        {
            "title": title,
            "name": name,
            "scores": scores,
            "lean": lean,
            "version": assessment.version,
            "taken_on": taken_on,
            "description": _(
                "%(lean)s careerguide's career-fit assessment, version %(number)s, taken %(date)s."
            )
            % {"lean": lean, "number": assessment.version.number, "date": taken_on},
            "page_url": f"{site}{link.get_absolute_url()}",
            "card_url": f"{site}{reverse('assessments:shared_card', args=[link.token])}",
            "card_width": cards.WIDTH,
            "card_height": cards.HEIGHT,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _card_facts(link: ShareLink) -> cards.CardFacts:
    assessment = link.assessment
    scores = list(assessment.scores.all())
    return cards.CardFacts(
        fits=[(score.role.name, score.percent) for score in scores],
        lean=_("%(role)s, %(lean)s")
        % {"role": scores[0].role.name, "lean": _margin_words(assessment.margin)},
        version=assessment.version.number,
        taken_on=_taken_on(assessment),
        name=assessment.user.username if link.show_name and assessment.user else "",
    )


# The picture the link unfurls as: drawn once per result (and name or not) and kept in the
# shared cache; the link is looked up on every request, so a revoked one is 404 at once.
@never_cache
def shared_card_view(request, token):
    link = _live_link(token)
    variant = "named" if link.show_name else "anonymous"  # services.CARD_VARIANTS
    png = caching.card(
        result=str(link.assessment_id),
        variant=variant,
        render=lambda: cards.result_card_png(_card_facts(link)),
    )
    response = HttpResponse(png, content_type="image/png")
    response["X-Robots-Tag"] = "noindex"
    return response


# Not cached: its figures change with every result kept and every answer to "does this feel
# right?" (three queries whatever their number).
def methodology_view(request):
    return render(
        request,
        "assessments/methodology.html",
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
        messages.success(request, _("The assessment was deleted."))
        return redirect("accounts:profile")
    return render(request, "assessments/result_confirm_delete.html", {"assessment": assessment})


# Reading an old result under the current questions (rescoring.py) ----------------------------


def _owned_assessment(request, assessment_id) -> Assessment:
    try:
        return selectors.assessment_get_owned(assessment_id=assessment_id, user=request.user)
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
        preview = selectors.rescore_preview(assessment=assessment)
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
        compared = selectors.rescore_preview(assessment=assessment, answers=form.answers())
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
        return _render_result(request, _viewable_assessment(request, assessment_id), status=400)
    messages.info(request, message)
    return redirect("assessments:result", assessment_id=assessment_id)


def _rescore_save(request, preview, form):
    try:
        new, _created = services.assessment_rescore(
            assessment_id=preview.assessment.pk,
            user=request.user,
            answers=form.answers(),
            client_id=form.cleaned_data["client_id"],
            language=translation.get_language(),
        )
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    except services.ClientIdTaken:
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


def _signed(points: int) -> str:
    """Percentage points as people read a change: "+3", "-2", "0"."""
    return f"{points:+d}" if points else "0"


def _lean(reading, names) -> dict:
    fits = reading.fits
    return {
        "role": names.get(reading.top_role, reading.top_role),
        "runner_up": names.get(fits[1].role, fits[1].role) if len(fits) > 1 else "",
        "percent": fits[0].percent,
        "margin": reading.margin,
        "words": _margin_words(reading.margin),
    }


def _render_comparison(request, preview, *, hidden_answers):
    """The old and the new reading side by side and what moved it. The answers given go with
    the save, under a client_id made now: a double click or a retry saves one result."""
    comparison = preview.comparison
    names = {role.slug: role.name for role in quiz_selectors.role_list_for_scoring()}
    for fit in (*comparison.old.fits, *comparison.new.fits):
        names.setdefault(fit.role, fit.role)
    fits = []
    for slug, name in names.items():
        before, after = comparison.old.percent(slug), comparison.new.percent(slug)
        change = _signed(after - before) if before is not None and after is not None else ""
        fits.append({"name": name, "before": before, "after": after, "change": change})
    changes: dict[str, list] = {
        rescoring.REMOVED: [],
        rescoring.REWEIGHTED: [],
        rescoring.ANSWERED: [],
    }
    for change in comparison.changes:
        effects = [
            (name, _signed(scoring.round_half_up(change.effects[slug])))
            for slug, name in names.items()
            if slug in change.effects
        ]
        changes[change.kind].append(
            {"text": change.text, "answer": change.answer, "effects": effects}
        )
    old, new = _lean(comparison.old, names), _lean(comparison.new, names)
    return render(
        request,
        "assessments/rescore_compare.html",
        {
            "assessment": preview.assessment,
            "to_version": preview.to_version,
            "fits": fits,
            "old": old,
            "new": new,
            "same_lean": old["role"] == new["role"],
            "removed": changes[rescoring.REMOVED],
            "answered": changes[rescoring.ANSWERED],
            "reweighted": changes[rescoring.REWEIGHTED],
            "carried_count": len(preview.carried),
            "hidden_answers": hidden_answers,
            "client_id": uuid.uuid4(),
        },
    )
