"""Sharing an assessment: making and revoking links on its page, and what a link shows to
anyone who has it (/s/<token>/ and the card it unfurls as)."""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import caching
from core.security import site_url
from core.throttling import AddressThrottle, too_many_requests, wait_if_throttled

from .. import cards, sharing
from ..forms import ShareForm
from ..models import Assessment, ShareLink
from ..selectors.sharing import share_get_live
from ..services.sharing import share_create, share_revoke
from .assessment import assessment_page, margin_words, viewable_assessment


@require_POST
@never_cache
def share_create_view(request, assessment_id):
    """ "Create a link" on one's own result: back to the result, where the new link waits to
    be copied. Beyond the live links allowed, the result page again with the message at the
    form (400); anyone else's result is 404."""
    form = ShareForm(request.POST)
    form.is_valid()  # it only reads the post: services.share_create judges it
    try:
        share_create(
            assessment_id=assessment_id,
            user=request.user,
            show_name=form.cleaned_data["show_name"],
        )
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    except ValidationError as error:
        form.add_service_errors(error)
        assessment = viewable_assessment(request, assessment_id)
        return assessment_page(request, assessment, share_form=form, status=400)
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
        share_revoke(assessment_id=assessment_id, token=token, user=request.user)
    except ShareLink.DoesNotExist:
        raise Http404("No such link.") from None
    messages.success(request, _("The link is revoked: it no longer opens, for anyone."))
    if request.POST.get("back") == "profile":
        return redirect(f"{reverse('accounts:profile')}#shared-links")
    return redirect(f"{reverse('assessments:result', args=[assessment_id])}#share")


class SharedLinkThrottle(AddressThrottle):
    """Shared pages and their cards, together, per client address."""

    scope = "shared_link"


def _refused(request):
    """429 when this address asked for shared pages or cards too often lately, else None."""
    wait = wait_if_throttled(request, SharedLinkThrottle())
    if wait is None:
        return None
    return too_many_requests(
        request,
        message=_("Too many shared pages were opened from your network lately."),
        retry_after=wait,
    )


def _live_link(token: str) -> ShareLink:
    try:
        return share_get_live(token=token)
    except ShareLink.DoesNotExist:
        raise Http404("No such link.") from None


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
        "lean": margin_words(margin).capitalize(),
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
    refused = _refused(request)
    if refused is not None:
        return refused
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
        % {"role": scores[0].role.name, "lean": margin_words(assessment.margin)},
        version=assessment.version.number,
        taken_on=_taken_on(assessment),
        name=assessment.user.username if link.show_name and assessment.user else "",
    )


# Cards drawn by this process, by what they show: while the shared cache is down, a card is
# still not drawn again for every request. Keyed by the facts drawn, so an entry is never stale;
# only a live link (looked up on every request) leads to one.
CARDS_DRAWN_KEPT = 32
cards_drawn = caching.LocalEntries(CARDS_DRAWN_KEPT)


def _card_digest(facts: cards.CardFacts) -> str:
    """What the card shows, in the active language, as a hash (no id, no name in it)."""
    return hashlib.sha256(repr((translation.get_language(), facts)).encode()).hexdigest()[:32]


def _card_png(facts: cards.CardFacts, digest: str) -> bytes:
    png = cards_drawn.get(digest)
    if png is None:
        png = cards.assessment_card_png(facts)
        cards_drawn.set(digest, png)
    return png


# The picture the link unfurls as: drawn once per result (and name or not) and kept in the
# shared cache. The link is looked up on every request, so a revoked one is 404 at once; a
# browser or proxy may keep the card but asks again each time (no-cache), and one that holds it
# gets a 304 without a drawing.
def shared_card_view(request, token):
    refused = _refused(request)
    if refused is not None:
        return refused
    link = _live_link(token)
    facts = _card_facts(link)
    digest = _card_digest(facts)
    etag = f'"{digest}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        png = caching.card(
            result=str(link.assessment_id),
            variant=sharing.card_variant(show_name=link.show_name),
            render=lambda: _card_png(facts, digest),
        )
        response = HttpResponse(png, content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
