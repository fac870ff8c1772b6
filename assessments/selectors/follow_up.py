"""Reads of the six-month follow-up: a result's, a person's."""

from ..models import FollowUp


def follow_up_of(*, assessment) -> FollowUp | None:
    """The follow-up asked for on a result, or None (one query)."""
    return FollowUp.objects.filter(assessment_id=assessment.pk).first()


def follow_up_of_person(*, user) -> FollowUp | None:
    """The person's follow-up (one at a time), with its result and top role (one query)."""
    return FollowUp.objects.select_related("assessment__top_role").filter(user=user).first()
