"""Sharing a result on the site (issue 17): "Share" on one's own result, the shared page
/s/<token>/ and its card, revoking from the result and from the profile, and every bad input
(someone else's result or link, a revoked, unknown or malformed token, too many links)."""

import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from assessments.models import SHARE_LINKS_LIVE_MAX, ShareLink
from assessments.services.assessment import assessment_submit
from assessments.services.sharing import share_revoke
from tests.assessments.helpers import share, text_of
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to, take_assessment

pytestmark = pytest.mark.django_db


def share_url(assessment) -> str:
    return f"/assessment/result/{assessment.pk}/share/"


def revoke_url(assessment, token) -> str:
    return f"/assessment/result/{assessment.pk}/share/{token}/revoke/"


# "Share" on one's own result -----------------------------------------------------------------


def test_the_owner_sees_the_share_form_and_no_link_yet(owner_web, mine):
    response = owner_web.get(mine.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert f'action="{share_url(mine)}"' in html
    assert 'type="checkbox" name="show_name" value="yes" id="share-show-name"' in html
    assert '<label class="form-check-label" for="share-show-name">Show my name' in html
    assert "Create a link" in html
    assert "Your live links to this result" not in html
    assert "copy-link.js" not in html  # no link to copy, no script


def test_creating_a_link_comes_back_to_the_result_showing_it_to_copy(owner_web, mine):
    owner_web.get(mine.get_absolute_url())  # the page is cached for the owner

    response = owner_web.post(share_url(mine))

    assert response.status_code == 302
    assert response.url == f"{mine.get_absolute_url()}#share"
    link = ShareLink.objects.get()
    assert (link.assessment, link.show_name, link.revoked_at) == (mine, False, None)
    page = owner_web.get(mine.get_absolute_url())
    html = page.content.decode()
    assert "Your link is ready: copy it below" in text_of(page)
    # The link whole, in a labelled read-only box, with a Copy button for the local script.
    assert (
        f'<input type="text" class="form-control share-url" id="share-url-1" '
        f'value="http://testserver/s/{link.token}/" readonly>' in html
    )
    assert re.search(
        r'<label class="form-label mb-1" for="share-url-1">'
        r"Link made [^<]+, without your name</label>",
        html,
    )
    assert 'data-copy="share-url-1"' in html
    assert '<script src="/static/js/copy-link.js" defer></script>' in html
    assert f'action="{revoke_url(mine, link.token)}"' in html
    # The message is shown once; the page after it comes from the cache and still shows the link.
    again = owner_web.get(mine.get_absolute_url())
    assert "Your link is ready" not in again.content.decode()
    assert link.token in again.content.decode()


def test_ticking_show_my_name_makes_a_link_that_shows_it(owner_web, mine):
    owner_web.post(share_url(mine), {"show_name": "yes"})

    assert ShareLink.objects.get().show_name is True
    assert "with your name" in text_of(owner_web.get(mine.get_absolute_url()))


@pytest.mark.parametrize("value", ["on", "true", "1", "no", "yes please", "nul \x00"])
def test_a_show_name_that_is_not_the_box_is_refused_at_the_field(owner_web, mine, value):
    response = owner_web.post(share_url(mine), {"show_name": value})

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="share-show-name-error">Say yes or no.', html)
    assert 'aria-invalid="true" aria-describedby="share-show-name-error"' in html
    assert not ShareLink.objects.exists()


def test_beyond_ten_live_links_the_message_is_at_the_form_and_nothing_is_made(owner_web, mine):
    for _ in range(SHARE_LINKS_LIVE_MAX):
        share(mine)

    response = owner_web.post(share_url(mine), {"show_name": "yes"})

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(
        r'<div class="alert alert-danger" role="alert" id="share-error">A result can have at '
        r"most 10 live links: revoke one you no longer need first.",
        html,
    )
    assert 'aria-describedby="share-error">Create a link' in html
    assert "10 of the 10 a result may have at once" in text_of(response)
    assert ShareLink.objects.count() == SHARE_LINKS_LIVE_MAX
    # A revoked link makes room again.
    first = ShareLink.objects.first()
    assert first is not None
    owner_web.post(revoke_url(mine, first.token))
    assert owner_web.post(share_url(mine)).status_code == 302
    assert ShareLink.objects.live().count() == SHARE_LINKS_LIVE_MAX


def test_someone_elses_result_cannot_be_shared_nor_its_links_seen(mine, version):
    link = share(mine)
    stranger = Client()
    stranger.force_login(UserFactory())

    assert stranger.get(mine.get_absolute_url()).status_code == 404
    assert stranger.post(share_url(mine)).status_code == 404
    assert stranger.post(share_url(mine), {"show_name": "yes"}).status_code == 404
    assert stranger.post(revoke_url(mine, link.token)).status_code == 404
    assert ShareLink.objects.count() == 1 and ShareLink.objects.live().count() == 1
    # Nor by someone not logged in, nor for a result that does not exist.
    assert Client().post(share_url(mine)).status_code == 404
    assert Client().post(revoke_url(mine, link.token)).status_code == 404
    assert stranger.post(f"/assessment/result/{uuid.uuid4()}/share/").status_code == 404
    assert ShareLink.objects.count() == 1 and ShareLink.objects.live().count() == 1


def test_an_anonymous_result_offers_no_sharing(client, version):
    response = take_assessment(client, answers_leaning_to(version, ["mlops-engineer"]))
    page = client.get(response.url)

    assert page.status_code == 200
    assert "Create a link" not in page.content.decode()


def test_the_share_routes_take_posts_only_with_the_csrf_token(owner, mine):
    link = share(mine)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)

    assert browser.get(share_url(mine)).status_code == 405
    assert browser.get(revoke_url(mine, link.token)).status_code == 405
    assert browser.post(share_url(mine)).status_code == 403
    assert browser.post(revoke_url(mine, link.token)).status_code == 403
    assert ShareLink.objects.live().count() == 1


# Revoking ------------------------------------------------------------------------------------


def test_revoking_from_the_result_takes_the_link_down_at_once(owner_web, mine, client):
    link = share(mine)
    assert client.get(f"/s/{link.token}/").status_code == 200
    owner_web.get(mine.get_absolute_url())  # cached with the link

    response = owner_web.post(revoke_url(mine, link.token))

    assert response.status_code == 302
    assert response.url == f"{mine.get_absolute_url()}#share"
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(f"/s/{link.token}/").status_code == 404
    assert client.get(f"/s/{link.token}/card.png").status_code == 404
    page = owner_web.get(mine.get_absolute_url())
    assert "The link is revoked: it no longer opens, for anyone." in text_of(page)
    assert link.token not in page.content.decode()
    # Twice is 404: there is no live link with that token any more.
    assert owner_web.post(revoke_url(mine, link.token)).status_code == 404


def test_a_link_of_another_result_is_not_revoked_through_this_one(owner, owner_web, mine, version):
    other, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, ["mlops-engineer"]).items(),
        client_id=uuid.uuid4(),
        user=owner,
    )
    link = share(other)

    assert owner_web.post(revoke_url(mine, link.token)).status_code == 404
    assert ShareLink.objects.live().count() == 1


@pytest.mark.parametrize(
    "bad_token",
    ["short", "x" * 33, "a" * 5000, "%00" * 32, "%F0%9F%8E%89" * 32, "%ED%A0%80", "ü" * 32, "..."],
)
def test_revoking_a_malformed_token_is_404(owner_web, mine, bad_token):
    share(mine)

    assert owner_web.post(revoke_url(mine, bad_token)).status_code == 404
    assert ShareLink.objects.live().count() == 1


# The profile ---------------------------------------------------------------------------------


def test_the_profile_lists_the_live_links_with_their_result(owner_web, mine, owner):
    owner_web.get("/profile/")  # cached
    older, newer = share(mine), share(mine, show_name=True)
    share_revoke(assessment_id=mine.pk, token=older.token, user=owner)
    other_persons = share(
        assessment_submit(
            version=mine.version,
            answers=answers_leaning_to(mine.version, ["mlops-engineer"]).items(),
            client_id=uuid.uuid4(),
            user=UserFactory(),
        )[0]
    )

    response = owner_web.get("/profile/")

    html = response.content.decode()
    rows = re.findall(r'<tr class="shared-link-row">(.*?)</tr>', html, re.S)
    assert len(rows) == 1
    cells = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", rows[0], re.S)
    ]
    made = timezone.localtime(newer.created_at)
    assert cells[0] == f"{mine.created_at.day} {mine.created_at:%b %Y}"
    assert cells[1] == mine.top_role.name
    # The link shortened (its whole address in the title and for the copy button).
    assert cells[2].startswith(f"/s/{newer.token[:10]}") and "…" in cells[2]
    assert f'data-full-url="http://testserver/s/{newer.token}/"' in rows[0]
    assert f'href="/s/{newer.token}/"' in rows[0]
    assert cells[3] == "Shown"
    assert cells[4] == f"{made.day} {made:%b %Y, %H:%M}"
    assert cells[5].startswith("Revoke")
    assert f'href="{mine.get_absolute_url()}"' in rows[0]
    assert f'action="{revoke_url(mine, newer.token)}"' in rows[0]
    assert '<input type="hidden" name="back" value="profile">' in rows[0]
    assert older.token not in html and other_persons.token not in html


def test_revoking_from_the_profile_comes_back_to_it(owner_web, mine):
    link = share(mine)

    response = owner_web.post(revoke_url(mine, link.token), {"back": "profile"})

    assert response.status_code == 302 and response.url == "/profile/#shared-links"
    page = owner_web.get("/profile/")
    assert link.token not in page.content.decode()
    assert "You have shared no result." in text_of(page)


def test_a_back_that_is_not_the_profile_goes_to_the_result(owner_web, mine):
    link = share(mine)

    response = owner_web.post(revoke_url(mine, link.token), {"back": "https://evil.example/"})

    assert response.url == f"{mine.get_absolute_url()}#share"
