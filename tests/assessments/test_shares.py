"""Share links: made and revoked only by the owner, at most ten live, looked up by an
unguessable token; and the card they unfurl as."""

import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import translation
from PIL import Image

from assessments.cards import HEIGHT, WIDTH, CardFacts, assessment_card_png
from assessments.models import SHARE_LINKS_LIVE_MAX, Assessment, ShareLink
from assessments.selectors.sharing import share_get_live, share_list
from assessments.services.assessment import assessment_delete, assessment_submit
from assessments.services.sharing import share_create, share_revoke
from core import caching
from quizzes import selectors as quiz_selectors
from tests.factories import UserFactory, site_content_create
from tests.helpers import answers_leaning_to, at_once

pytestmark = pytest.mark.django_db


def share(result, person, **kwargs):
    return share_create(assessment_id=result.pk, user=person, **kwargs)


def test_a_link_has_an_unguessable_token_and_finds_its_result(result, person):
    link = share(result, person)
    assert len(link.token) == 32 and not link.show_name
    assert share_get_live(token=link.token).assessment == result
    assert share(result, person).token != link.token


@pytest.mark.parametrize(
    "token", ["short", "x" * 33, "bad token with spaces and ....", "\x00" * 32]
)
def test_a_token_of_the_wrong_shape_is_simply_not_found(result, person, token):
    share(result, person)
    with pytest.raises(ShareLink.DoesNotExist):
        share_get_live(token=token)


def test_only_the_owner_shares_and_revokes(result, person):
    stranger = UserFactory()
    with pytest.raises(Assessment.DoesNotExist):
        share(result, stranger)
    link = share(result, person)
    with pytest.raises(ShareLink.DoesNotExist):
        share_revoke(assessment_id=result.pk, token=link.token, user=stranger)
    with pytest.raises(Assessment.DoesNotExist):
        share_list(assessment_id=result.pk, user=stranger)


def test_a_revoked_link_is_gone_at_once_and_cannot_be_revoked_twice(result, person):
    link = share(result, person)
    share_revoke(assessment_id=result.pk, token=link.token, user=person)
    with pytest.raises(ShareLink.DoesNotExist):
        share_get_live(token=link.token)
    with pytest.raises(ShareLink.DoesNotExist):
        share_revoke(assessment_id=result.pk, token=link.token, user=person)
    assert share_list(assessment_id=result.pk, user=person) == []


def test_at_most_ten_live_links_per_result(result, person):
    links = [share(result, person) for _ in range(SHARE_LINKS_LIVE_MAX)]
    with pytest.raises(ValidationError) as caught:
        share(result, person)
    assert "at most 10 live links" in caught.value.message_dict["detail"][0]
    share_revoke(assessment_id=result.pk, token=links[0].token, user=person)
    share(result, person)  # a revoked one makes room


def test_show_name_must_be_a_yes_or_no(result, person):
    with pytest.raises(ValidationError):
        share(result, person, show_name="yes")
    assert not ShareLink.objects.exists()


def test_the_last_revoked_link_forgets_the_cards(
    result, person, django_capture_on_commit_callbacks
):
    first, second = share(result, person), share(result, person)
    keys = []
    for language in ["en", "es"]:  # a card is drawn in each language it is asked in
        with translation.override(language):
            caching.card(result=str(result.pk), variant="anonymous", render=lambda: b"png")
        keys.append(caching.card_key(result=str(result.pk), variant="anonymous", language=language))
    with django_capture_on_commit_callbacks(execute=True):
        share_revoke(assessment_id=result.pk, token=first.token, user=person)
    assert [caching.pages_cache().get(key) for key in keys] == [b"png", b"png"]  # still linked
    with django_capture_on_commit_callbacks(execute=True):
        share_revoke(assessment_id=result.pk, token=second.token, user=person)
    assert [caching.pages_cache().get(key) for key in keys] == [None, None]


def test_deleting_the_result_takes_its_links_and_cards(
    result, person, django_capture_on_commit_callbacks
):
    link = share(result, person)
    caching.card(result=str(result.pk), variant="named", render=lambda: b"png")
    with django_capture_on_commit_callbacks(execute=True):
        assessment_delete(assessment_id=result.pk, user=person)
    assert not ShareLink.objects.filter(token=link.token).exists()
    key = caching.card_key(result=str(result.pk), variant="named", language="en")
    assert caching.pages_cache().get(key) is None


@pytest.mark.django_db(transaction=True)
def test_two_shares_at_once_never_pass_the_limit():
    if connections["default"].vendor != "postgresql":
        pytest.skip("SQLite has no row locks; CI runs this on PostgreSQL, as production is")
    site_content_create()
    version = quiz_selectors.current_version_get()
    person = UserFactory()
    result, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, ["mlops-engineer"]).items(),
        client_id=uuid.uuid4(),
        user=person,
    )
    for _ in range(SHARE_LINKS_LIVE_MAX - 1):
        share(result, person)
    race = at_once(*[lambda: share(result, person)] * 2)
    assert len(race.returned) == 1
    assert [type(error) for error in race.errors] == [ValidationError]
    assert ShareLink.objects.live().filter(assessment=result).count() == SHARE_LINKS_LIVE_MAX


# The card ------------------------------------------------------------------------------------


def test_the_card_is_a_1200_by_630_png():
    png = assessment_card_png(
        CardFacts(
            fits=[("MLOps engineer", 71), ("Data engineer", 43)],
            lean="MLOps engineer, a clear lean",
            version=2,
            taken_on="3 March 2026",
            name="Sam",
        )
    )
    image = Image.open(io.BytesIO(png))
    image.verify()
    assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT)) == ("PNG", (1200, 630))


def test_a_very_long_name_still_fits_the_card():
    png = assessment_card_png(
        CardFacts(
            fits=[("A role with a remarkably long name indeed", 100), ("Other", 0)],
            lean="x" * 300,
            version=1,
            taken_on="1 January 2026",
            name="\u202eمرحبا 🎉" * 40,
        )
    )
    assert Image.open(io.BytesIO(png)).size == (1200, 630)


def test_the_data_export_lists_the_results_links_live_and_revoked(client, result, person):
    live, revoked = share(result, person, show_name=True), share(result, person)
    share_revoke(assessment_id=result.pk, token=revoked.token, user=person)
    client.force_login(person)
    (exported,) = client.get("/profile/export/").json()["assessments"]
    links = {link["path"]: link for link in exported["share_links"]}
    assert links[f"/s/{live.token}/"]["show_name"] is True
    assert links[f"/s/{live.token}/"]["revoked"] is None
    assert links[f"/s/{revoked.token}/"]["revoked"] is not None
