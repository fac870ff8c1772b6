"""Share links to an assessment: making one, revoking one, and forgetting the cards they
unfurl as. Tokens are made as sharing.py says."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import caching

from .. import sharing
from ..models import SHARE_LINKS_LIVE_MAX, Assessment, ShareLink


@transaction.atomic
def share_create(*, assessment_id, user, show_name: object = False) -> ShareLink:
    """A new private link to one of the person's results. Assessment.DoesNotExist for anyone
    else's; ValidationError beyond SHARE_LINKS_LIVE_MAX live links for one result."""
    if not isinstance(show_name, bool):
        raise ValidationError({"show_name": _("Say yes or no.")})
    # The result's row lock: two requests at once can't both slip under the limit.
    assessment = Assessment.objects.owned_by(user).select_for_update().get(pk=assessment_id)
    if ShareLink.objects.live().filter(assessment=assessment).count() >= SHARE_LINKS_LIVE_MAX:
        raise ValidationError(
            {
                "detail": _(
                    "A result can have at most %(max)s live links: revoke one you no longer "
                    "need first."
                )
                % {"max": SHARE_LINKS_LIVE_MAX}
            }
        )
    link = ShareLink.objects.create(
        assessment=assessment, token=sharing.token_new(), show_name=show_name
    )
    caching.history_changed(user.pk)
    return link


def cards_forget_on_commit(assessment_ids) -> None:
    """Once the transaction commits, the cards of these assessments' links go."""
    results = [str(assessment_id) for assessment_id in assessment_ids]

    def forget() -> None:
        for result in results:
            caching.cards_forget(result=result, variants=sharing.CARD_VARIANTS)

    transaction.on_commit(forget)


def shares_forget_user(*, user) -> None:
    """Before an account goes: the cards of its shared results go too (its links cascade)."""
    cards_forget_on_commit(
        ShareLink.objects.filter(assessment__user=user)
        .values_list("assessment_id", flat=True)
        .distinct()
    )


@transaction.atomic
def share_revoke(*, assessment_id, token: str, user) -> None:
    """Revoke one of the person's live links (ShareLink.DoesNotExist for anyone else's, an
    unknown or an already revoked one): it answers 404 from now on, everywhere, and when it
    was the result's last live link the result's cards are forgotten."""
    if not sharing.token_is_wellformed(token):
        raise ShareLink.DoesNotExist
    link = (
        ShareLink.objects.live()
        .select_for_update()
        .get(assessment__user=user, assessment_id=assessment_id, token=token)
    )
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    if not ShareLink.objects.live().filter(assessment_id=assessment_id).exists():
        cards_forget_on_commit([assessment_id])
    caching.history_changed(user.pk)
