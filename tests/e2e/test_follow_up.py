"""The six-month follow-up in Chromium: the e-mail's answer link (taken from the locmem
outbox) opens a page with that answer chosen, which records nothing until its button is
pressed; and the e-mail's one-click unsubscribe works from a POST with no session."""

from datetime import timedelta

import pytest
from django.core import mail
from playwright.sync_api import expect

from assessments import following
from assessments.models import FollowUp
from assessments.services import follow_up as follow_ups
from quizzes import selectors as quiz_selectors
from tests import factories
from tests.assessments.helpers import DATA, submit

pytestmark = pytest.mark.e2e


@pytest.fixture
def asked(site, settings, clock):
    """A person who ticked the follow-up on a result leaning to data engineering, 180 days
    on: the question was e-mailed, with links to the live server."""
    settings.SITE_URL = site
    person = factories.UserFactory()
    result = submit(quiz_selectors.current_version_get(), person, lean_to=(DATA,))
    follow_ups.follow_up_consent(
        assessment_id=result.pk,
        user=person,
        consent=True,
        wording_version=following.WORDING_VERSION,
    )
    clock.advance(timedelta(days=180))
    assert follow_ups.follow_ups_send_due() == 1
    return mail.outbox[-1]


def _answer_link(message, value: str) -> str:
    return next(
        line.rsplit(": ", 1)[1].strip()
        for line in message.body.splitlines()
        if line.startswith("- ") and line.rstrip().endswith(f"?answer={value}")
    )


def test_the_e_mails_link_opens_the_answer_page_and_its_button_records_it(page, asked, audit):
    page.goto(_answer_link(asked, DATA))

    expect(page.get_by_role("heading", level=1)).to_have_text("Which path did you take?")
    assert audit(page, "follow-up answer") == []
    chosen = page.get_by_label("Work as: Data engineer")
    expect(chosen).to_be_checked()
    assert FollowUp.objects.get().answered_at is None  # opening the link recorded nothing

    page.get_by_label("4 – Happy").check()
    page.get_by_label("A comment (optional, only you can see it)").fill("Two months in, I like it")
    page.get_by_role("button", name="Record my answer").click()

    expect(page.get_by_text("Thank you: your answer is recorded.")).to_be_visible()
    follow_up = FollowUp.objects.get()
    assert (follow_up.answer, follow_up.happiness) == (DATA, 4)
    assert follow_up.comment == "Two months in, I like it"
    assert follow_up.chose_top_role is True


def test_one_click_unsubscribe_from_a_post_with_no_session(new_context, asked):
    address = asked.extra_headers["List-Unsubscribe"].strip("<>")
    assert asked.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail_client = new_context()  # no cookies, no CSRF token: as a mail client posts

    response = mail_client.request.post(
        address,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status == 200
    assert FollowUp.objects.get().unsubscribed_at is not None
