"""Reads of share links: the live link behind a token, and a person's live links."""

from django.db.models import Prefetch

from .. import sharing
from ..models import Assessment, RoleScore, ShareLink


def share_get_live(*, token: str) -> ShareLink:
    """A live link with its result, the result's version and scores (and the owner for the
    name); ShareLink.DoesNotExist for a revoked, unknown or malformed token, or one whose
    owner's account is deactivated. Never cached: a revoked link answers 404 at once on every
    instance."""
    if not sharing.token_is_wellformed(token):
        raise ShareLink.DoesNotExist
    return (
        ShareLink.objects.live()
        .filter(assessment__user__is_active=True)
        .select_related("assessment__version__quiz", "assessment__top_role", "assessment__user")
        .prefetch_related(
            Prefetch("assessment__scores", queryset=RoleScore.objects.select_related("role"))
        )
        .get(token=token)
    )


def share_list(*, assessment_id, user) -> list[ShareLink]:
    """The live links of one of the person's results, newest first; Assessment.DoesNotExist
    for anyone else's."""
    assessment = Assessment.objects.owned_by(user).only("pk").get(pk=assessment_id)
    return list(ShareLink.objects.live().filter(assessment=assessment))


def share_links_of(*, user) -> list[ShareLink]:
    """Every live link of the person, with its result, for the profile."""
    return list(
        ShareLink.objects.live()
        .filter(assessment__user=user)
        .select_related("assessment__top_role", "assessment__version")
    )
