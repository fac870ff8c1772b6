"""The language switcher on a page that does not exist: the link goes to the same address in
the other language, never back to the page itself."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _switch_links(html: str) -> list[str]:
    return re.findall(r'<a class="nav-link" href="([^"]+)" hreflang="\w+"', html)


@pytest.mark.parametrize(
    ("path", "other"),
    [("/es/no-such-page/", "/no-such-page/"), ("/no-such-page/", "/es/no-such-page/")],
)
def test_a_404_links_to_the_same_address_in_the_other_language(path, other):
    response = Client().get(path)

    assert response.status_code == 404
    assert _switch_links(response.content.decode()) == [other]
