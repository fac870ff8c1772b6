"""Sharing a result on the site (issue 17): "Share" on one's own result, the shared page
/s/<token>/ and its card, revoking from the result and from the profile, and every bad input
(someone else's result or link, a revoked, unknown or malformed token, too many links)."""

import io
import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from assessments import cards
from assessments.models import SHARE_LINKS_LIVE_MAX, Answer, ShareLink
from assessments.services.assessment import assessment_submit
from assessments.services.sharing import share_create, share_revoke
from assessments.sharing import CARD_VARIANTS
from core import caching
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to, take_assessment

pytestmark = pytest.mark.django_db

OWNER_NAME = "quinn-sharer"


@pytest.fixture
def owner(db):
    return UserFactory(username=OWNER_NAME, email="quinn@example.com")


@pytest.fixture
def mine(version, owner):
    """The owner's saved result, leaning to data engineering."""
    assessment, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(
            version, ["data-engineer", "data-engineer", "mlops-engineer"]
        ).items(),
        client_id=uuid.uuid4(),
        user=owner,
    )
    return assessment


@pytest.fixture
def owner_web(owner):
    web = Client()
    web.force_login(owner)
    return web


def share_url(assessment) -> str:
    return f"/assessment/result/{assessment.pk}/share/"


def revoke_url(assessment, token) -> str:
    return f"/assessment/result/{assessment.pk}/share/{token}/revoke/"


def share(assessment, *, show_name=False) -> ShareLink:
    return share_create(assessment_id=assessment.pk, user=assessment.user, show_name=show_name)


def text_of(response) -> str:
    """The page's words, tags and runs of white space taken out."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def meta(html: str, key: str) -> str:
    """The content of <meta property|name="key">."""
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert match, f"no {key} meta tag"
    return match.group(1)


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


# The shared page -----------------------------------------------------------------------------


def test_the_shared_page_shows_the_fit_lean_version_and_date_and_nothing_else(mine, client):
    link = share(mine)

    response = client.get(f"/s/{link.token}/")

    assert response.status_code == 200
    html, text = response.content.decode(), text_of(response)
    scores = list(mine.scores.select_related("role"))
    top, runner_up = scores[0], scores[1]
    assert "<h1>A career fit</h1>" in html
    assert (
        f"A clear lean towards {top.role.name}: {top.percent}% against {runner_up.percent}% "
        f"for {runner_up.role.name}." in text
    )
    for score in scores:  # the fit bars, as on the result page
        assert f'aria-label="{score.role.name}: {score.percent}% fit"' in html
    taken = timezone.localtime(mine.created_at)
    assert f"Taken {taken.day} {taken:%B %Y}" in text
    assert f"(version {mine.version.number})" in text
    assert "shared without a name" in text
    assert 'href="/assessment/">Take the assessment yourself</a>' in html
    # Never the answers, the name, the address or anything else of the person's.
    for answer in Answer.objects.filter(assessment=mine).select_related("question", "choice"):
        assert answer.choice.text not in html
        assert answer.question.text not in html
    for private in (OWNER_NAME, "quinn@example.com", str(mine.pk), "Does this feel right"):
        assert private not in html
    assert "Tools to learn first" not in html and "You against everyone" not in html


def test_the_name_is_shown_only_when_the_owner_ticked_it(mine, client):
    anonymous, named = share(mine), share(mine, show_name=True)

    assert OWNER_NAME not in client.get(f"/s/{anonymous.token}/").content.decode()
    response = client.get(f"/s/{named.token}/")
    html = response.content.decode()
    assert f"<h1>{OWNER_NAME}&#x27;s career fit</h1>" in html
    assert f"shared by {OWNER_NAME}" in text_of(response)


def test_a_tie_is_said_as_one(version, client):
    person = UserFactory()
    tie, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, ["mlops-engineer", "data-engineer"]).items(),
        client_id=uuid.uuid4(),
        user=person,
    )
    assert tie.margin == 0
    link = share(tie)

    text = text_of(client.get(f"/s/{link.token}/"))

    assert "A close call, in fact a tie: MLOps engineer and Data engineer fit equally well" in text


def test_the_shared_page_is_kept_out_of_search_engines_and_caches(mine, client):
    link = share(mine)

    response = client.get(f"/s/{link.token}/")

    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert not response.cookies  # an anonymous visitor gets no session


def test_the_shared_page_unfurls_with_open_graph_and_twitter_tags(mine, client, settings):
    settings.SITE_URL = "https://careerguide.example.com"
    settings.ALLOWED_HOSTS = ["*"]
    link = share(mine, show_name=True)

    html = client.get(f"/s/{link.token}/", HTTP_HOST="made-up.example").content.decode()

    # Absolute addresses from SITE_URL, never from the request's Host.
    page_url = f"https://careerguide.example.com/s/{link.token}/"
    assert meta(html, "og:url") == page_url
    assert meta(html, "og:image") == f"{page_url}card.png"
    assert meta(html, "twitter:image") == f"{page_url}card.png"
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    assert (
        meta(html, "og:title") == meta(html, "twitter:title") == f"{OWNER_NAME}&#x27;s career fit"
    )
    assert meta(html, "twitter:card") == "summary_large_image"
    description = meta(html, "og:description")
    assert description.startswith("A clear lean towards Data engineer")
    assert f"version {mine.version.number}" in description
    assert meta(html, "description") == meta(html, "twitter:description") == description
    assert "made-up.example" not in html


def test_without_site_url_the_addresses_come_from_the_request(mine, client, settings):
    settings.SITE_URL = ""
    link = share(mine)

    html = client.get(f"/s/{link.token}/").content.decode()

    assert meta(html, "og:image") == f"http://testserver/s/{link.token}/card.png"


BAD_TOKENS = [
    "short",
    "x" * 33,
    "a" * 5000,
    "%00" * 32,
    "%00",
    "%F0%9F%8E%89" * 32,  # emoji
    "%E2%80%AE" + "a" * 31,  # a right-to-left override
    "%ED%A0%80" * 32,  # a lone surrogate, as UTF-8 can't hold it
    "%FF%FE",  # not UTF-8 at all
    "ü" * 32,
    "%20" * 32,
    "..",
    "A" * 31 + "=",
]


@pytest.mark.parametrize("bad_token", BAD_TOKENS)
def test_a_malformed_token_is_404_for_the_page_and_the_card(mine, client, bad_token):
    share(mine)

    assert client.get(f"/s/{bad_token}/").status_code == 404
    assert client.get(f"/s/{bad_token}/card.png").status_code == 404


def test_an_unknown_token_of_the_right_shape_is_404(mine, client):
    share(mine)
    unknown = "A" * 32

    assert client.get(f"/s/{unknown}/").status_code == 404
    assert client.get(f"/s/{unknown}/card.png").status_code == 404


def test_a_link_revoked_elsewhere_is_404_at_once_nothing_is_cached(mine, client):
    link = share(mine)
    assert client.get(f"/s/{link.token}/").status_code == 200
    assert client.get(f"/s/{link.token}/card.png").status_code == 200

    # As another instance would: the row changes, and nothing here is told.
    ShareLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())

    assert client.get(f"/s/{link.token}/").status_code == 404
    assert client.get(f"/s/{link.token}/card.png").status_code == 404


def test_a_deleted_result_takes_its_links_down(owner_web, mine, client):
    link = share(mine)

    owner_web.post(f"{mine.get_absolute_url()}delete/")

    assert client.get(f"/s/{link.token}/").status_code == 404
    assert client.get(f"/s/{link.token}/card.png").status_code == 404


def test_the_shared_page_costs_two_queries_whoever_looks(mine, client, django_assert_num_queries):
    link = share(mine)

    with django_assert_num_queries(2):  # the link with its result, version and owner; scores
        assert client.get(f"/s/{link.token}/").status_code == 200


def test_the_shared_page_is_not_linked_from_public_pages(mine, client):
    link = share(mine)

    for url in ["/", "/roles/", "/compare/", "/methodology/", "/assessment/"]:
        assert link.token not in client.get(url).content.decode(), url


# The card ------------------------------------------------------------------------------------


def test_the_card_is_a_1200_by_630_png_drawn_once(mine, client, monkeypatch):
    link = share(mine)
    drawn = []
    draw = cards.assessment_card_png
    monkeypatch.setattr(
        cards, "assessment_card_png", lambda facts: drawn.append(facts) or draw(facts)
    )

    first = client.get(f"/s/{link.token}/card.png")
    second = client.get(f"/s/{link.token}/card.png")

    assert first.status_code == 200 and first["Content-Type"] == "image/png"
    assert first["X-Robots-Tag"] == "noindex"
    image = Image.open(io.BytesIO(first.content))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    image.verify()
    assert second.content == first.content
    assert len(drawn) == 1  # kept in the shared cache
    facts = drawn[0]
    scores = list(mine.scores.select_related("role"))
    assert facts.fits == [(score.role.name, score.percent) for score in scores]
    assert facts.lean == "Data engineer, a clear lean"
    assert (facts.version, facts.name) == (mine.version.number, "")


def test_a_named_link_has_its_own_card_with_the_name(mine, client, monkeypatch):
    anonymous, named = share(mine), share(mine, show_name=True)
    drawn = []
    draw = cards.assessment_card_png
    monkeypatch.setattr(
        cards, "assessment_card_png", lambda facts: drawn.append(facts) or draw(facts)
    )

    client.get(f"/s/{anonymous.token}/card.png")
    client.get(f"/s/{named.token}/card.png")

    assert [facts.name for facts in drawn] == ["", OWNER_NAME]
    for variant in CARD_VARIANTS:
        key = caching.card_key(result=str(mine.pk), variant=variant, language="en")
        assert caching._pages().get(key) is not None


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
    assert cells[2] == f"http://testserver/s/{newer.token}/"
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
