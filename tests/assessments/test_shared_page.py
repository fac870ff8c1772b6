"""The shared page /s/<token>/ and its card: what they show (and never show), who may see
them, what they cost, and every bad token."""

import io
import re
import uuid

import pytest
from django.utils import timezone
from PIL import Image

from assessments import cards
from assessments.models import Answer, ShareLink
from assessments.services.assessment import assessment_submit
from assessments.sharing import CARD_VARIANTS
from core import caching
from tests.assessments.conftest import OWNER_NAME
from tests.assessments.helpers import share, text_of
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to

pytestmark = pytest.mark.django_db


def meta(html: str, key: str) -> str:
    """The content of <meta property|name="key">."""
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert match, f"no {key} meta tag"
    return match.group(1)


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
        assert caching.pages_cache().get(key) is not None
