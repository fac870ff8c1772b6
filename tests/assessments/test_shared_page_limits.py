"""What one live link can cost and who it still shows: /s/<token>/ and its card are limited
per client address, the card is never drawn again for a browser that holds it (nor, while the
shared cache is down, for each request), and an account that is deactivated takes its links
down."""

import pytest
from django.test import Client

from assessments import cards
from assessments.selectors.sharing import share_get_live
from assessments.sharing import CARD_VARIANTS
from careerguide.accounts import services as account_services
from core import caching
from tests.admin_client import login, submit
from tests.assessments.helpers import share

pytestmark = pytest.mark.django_db


@pytest.fixture
def draws(monkeypatch):
    """Every card drawn, by its facts."""
    drawn = []
    draw = cards.assessment_card_png
    monkeypatch.setattr(
        cards, "assessment_card_png", lambda facts: drawn.append(facts) or draw(facts)
    )
    return drawn


@pytest.fixture
def shared_link_rate(monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "shared_link", "3/minute")


# A throttle per client address ---------------------------------------------------------------


def test_the_shared_page_and_its_card_are_limited_per_client_address(mine, shared_link_rate):
    link = share(mine)
    client = Client(REMOTE_ADDR="203.0.113.7")

    answers = [
        client.get(f"/s/{link.token}/").status_code,
        client.get(f"/s/{link.token}/card.png").status_code,
        client.get(f"/s/{link.token}/").status_code,
    ]
    refused = client.get(f"/s/{link.token}/card.png")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many requests" in refused.content.decode()
    # Someone else, elsewhere, still sees it.
    assert Client(REMOTE_ADDR="198.51.100.9").get(f"/s/{link.token}/").status_code == 200


def test_the_refusal_is_in_the_pages_language(mine, shared_link_rate):
    link = share(mine)
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        client.get(f"/es/s/{link.token}/")

    refused = client.get(f"/es/s/{link.token}/")

    assert refused.status_code == 429
    assert '<html lang="es"' in refused.content.decode()
    assert "Too many requests" not in refused.content.decode()


# The card: drawn once, kept by browsers and proxies, revalidated --------------------------------


def test_a_browser_that_holds_the_card_gets_a_304_without_a_drawing(mine, client, draws):
    link = share(mine)
    first = client.get(f"/s/{link.token}/card.png")
    caching.clear_all()  # the shared cache lost it (evicted, or Redis restarted empty)

    again = client.get(f"/s/{link.token}/card.png", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"]
    cache_control = {part.strip() for part in first["Cache-Control"].split(",")}
    assert {"public", "no-cache"} <= cache_control and "no-store" not in cache_control
    assert again.status_code == 304 and not again.content
    assert len(draws) == 1


def test_the_etag_differs_by_link_variant_and_language(mine, client):
    anonymous, named = share(mine), share(mine, show_name=True)

    tags = {
        client.get(f"/s/{anonymous.token}/card.png")["ETag"],
        client.get(f"/s/{named.token}/card.png")["ETag"],
        client.get(f"/es/s/{anonymous.token}/card.png")["ETag"],
    }

    assert len(tags) == 3
    assert not any(str(mine.pk) in tag for tag in tags)


def test_a_revoked_link_answers_404_even_to_a_browser_that_holds_its_card(owner_web, mine, client):
    link = share(mine)
    etag = client.get(f"/s/{link.token}/card.png")["ETag"]
    owner_web.post(f"/assessment/result/{mine.pk}/share/{link.token}/revoke/")

    assert client.get(f"/s/{link.token}/card.png", HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_while_the_shared_cache_is_down_the_card_is_not_drawn_per_request(
    mine, client, draws, settings
):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    link = share(mine)

    bodies = {client.get(f"/s/{link.token}/card.png").content for _ in range(3)}

    assert len(bodies) == 1
    assert len(draws) == 1


# A deactivated account takes its links down ----------------------------------------------------


def test_a_link_of_a_deactivated_account_is_404(mine, owner, client):
    link = share(mine, show_name=True)
    owner.is_active = False
    owner.save()

    assert client.get(f"/s/{link.token}/").status_code == 404
    assert client.get(f"/s/{link.token}/card.png").status_code == 404
    with pytest.raises(type(link).DoesNotExist):
        share_get_live(token=link.token)


def _card_keys(result):
    return [
        caching.card_key(result=str(result.pk), variant=variant, language=language)
        for variant in CARD_VARIANTS
        for language in ("en", "es")
    ]


def test_deactivating_an_account_forgets_its_cards(
    mine, owner, client, django_capture_on_commit_callbacks
):
    link = share(mine, show_name=True)
    client.get(f"/s/{link.token}/card.png")
    assert any(caching.pages_cache().get(key) for key in _card_keys(mine))

    with django_capture_on_commit_callbacks(execute=True):
        account_services.user_deactivate(user=owner)

    owner.refresh_from_db()
    assert not owner.is_active
    assert not any(caching.pages_cache().get(key) for key in _card_keys(mine))
    assert client.get(f"/s/{link.token}/").status_code == 404


def test_deactivating_an_account_in_the_admin_forgets_its_cards(
    mine, owner, client, superuser, django_capture_on_commit_callbacks
):
    link = share(mine, show_name=True)
    client.get(f"/s/{link.token}/card.png")
    admin = login(superuser)
    page = admin.get(f"/admin/accounts/user/{owner.pk}/change/")

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(admin, page, "user_form", {"is_active": None})

    assert response.status_code == 302, response.content.decode()[:2000]
    owner.refresh_from_db()
    assert not owner.is_active
    assert not any(caching.pages_cache().get(key) for key in _card_keys(mine))
