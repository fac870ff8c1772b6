"""The six-month follow-up: consent (result page, profile, API), the e-mails (due after
FOLLOW_UP_AFTER_DAYS, once, one reminder at most), the answer page and API (a GET records
nothing), expiry, one-click unsubscribe, sending once with two workers, export and deletion."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from assessments import following
from assessments.models import FollowUp
from assessments.services import follow_up as services
from tests import factories
from tests.assessments.helpers import submit
from tests.helpers import at_once, while_the_first_waits

pytestmark = pytest.mark.django_db

SITE = "https://careerguide.example"
URL = "/api/v1/assessments/{}/follow-up/"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _consent(result, person):
    return services.follow_up_consent(
        assessment_id=result.pk,
        user=person,
        consent=True,
        wording_version=following.WORDING_VERSION,
    )


@pytest.fixture
def consented(clock, result, person):
    return _consent(result, person)


def _asked(clock):
    clock.advance(timedelta(days=180))
    assert services.follow_ups_send_due() == 1
    return mail.outbox[-1]


def _link(message, label) -> str:
    line = next(line for line in message.body.splitlines() if line.startswith(f"- {label}"))
    return line.rsplit(": ", 1)[1].strip().removeprefix(SITE)


# Consent -----------------------------------------------------------------------------------


def test_the_result_page_offers_an_unticked_checkbox(clock, result, person, client):
    client.force_login(person)

    html = client.get(result.get_absolute_url()).content.decode()

    assert "E-mail me in 6 months to ask which path I took" in html
    assert 'name="consent" id="id_follow_up_consent">' in html  # not checked


def test_ticking_it_keeps_the_time_and_the_wording_version(clock, result, person, client):
    client.force_login(person)

    response = client.post(
        f"{result.get_absolute_url()}follow-up/", {"consent": "on", "wording_version": "1"}
    )

    assert response.status_code == 302
    follow_up = FollowUp.objects.get(assessment=result)
    assert follow_up.consented_at == clock.now()
    assert follow_up.wording_version == following.WORDING_VERSION
    assert follow_up.due_at == clock.now() + timedelta(days=180)
    assert (
        "checked"
        in client.get(result.get_absolute_url())
        .content.decode()
        .split('id="id_follow_up_consent"')[1]
        .split(">")[0]
    )


def test_after_days_follows_the_setting(clock, result, person, settings):
    settings.FOLLOW_UP_AFTER_DAYS = 30

    follow_up = _consent(result, person)

    assert follow_up.due_at == clock.now() + timedelta(days=30)


@pytest.mark.parametrize("wording_version", [0, True, "1", None])
def test_a_stale_or_missing_wording_is_refused(clock, result, person, person_api, wording_version):
    response = person_api.put(
        URL.format(result.pk),
        {"consent": True, "wording_version": wording_version},
        format="json",
    )

    assert response.status_code == 400
    assert "wording_version" in json.dumps(response.json())
    assert not FollowUp.objects.exists()


def test_the_web_form_refuses_a_wording_it_cannot_read(clock, result, person, client):
    client.force_login(person)

    response = client.post(
        f"{result.get_absolute_url()}follow-up/", {"consent": "on", "wording_version": "²"}
    )

    assert response.status_code == 400
    assert "The wording you agreed to has changed" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_the_api_gives_reads_and_withdraws_consent(clock, result, person, person_api):
    body = person_api.get(URL.format(result.pk)).json()
    assert body["consented"] is False and body["wording_version"] == following.WORDING_VERSION

    response = person_api.put(
        URL.format(result.pk), {"consent": True, "wording_version": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["consented"] is True

    assert person_api.delete(URL.format(result.pk)).status_code == 204
    assert person_api.get(URL.format(result.pk)).json()["consented"] is False
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(("body", "field"), [({}, "consent"), ({"consent": "yes"}, "consent")])
def test_the_api_refuses_a_bad_consent(clock, result, person_api, body, field):
    response = person_api.put(URL.format(result.pk), body, format="json")

    assert response.status_code == 400
    assert field in json.dumps(response.json())


def test_someone_elses_result_is_404(clock, result, api):
    api.force_authenticate(factories.UserFactory())

    assert api.get(URL.format(result.pk)).status_code == 404
    assert api.put(URL.format(result.pk), {"consent": True}, format="json").status_code == 404
    assert api.delete(URL.format(result.pk)).status_code == 404


def test_it_needs_a_confirmed_address(clock, result, person, person_api):
    person.email = None
    person.save()

    response = person_api.put(
        URL.format(result.pk), {"consent": True, "wording_version": 1}, format="json"
    )

    assert response.status_code == 400
    assert "consent" in json.dumps(response.json()) and "Confirm your e-mail" in json.dumps(
        response.json()
    )


def test_one_at_a_time_moved_to_another_result_until_asked(clock, result, person, version):
    _consent(result, person)
    other = submit(version, person)
    _consent(other, person)
    assert FollowUp.objects.get(user=person).assessment_id == other.pk

    _asked(clock)
    with pytest.raises(Exception, match="already asked"):
        _consent(result, person)


def test_withdrawn_on_the_profile(clock, consented, result, person, client):
    client.force_login(person)
    assert "Withdraw" in client.get("/profile/").content.decode()

    response = client.post(
        f"{result.get_absolute_url()}follow-up/withdraw/", {"next": "/profile/#follow-up"}
    )

    assert response.status_code == 302 and response["Location"] == "/profile/#follow-up"
    assert not FollowUp.objects.exists()


# Sending -----------------------------------------------------------------------------------


def test_nothing_before_the_day_then_one_e_mail_with_three_answers(clock, consented, person):
    clock.advance(timedelta(days=179))
    assert services.follow_ups_send_due() == 0

    message = _asked(clock)

    assert message.to == [person.email]
    assert message.subject == "Which path did you take?"
    labels = [line for line in message.body.splitlines() if line.startswith("- ")]
    assert len(labels) == 3 and labels[-1].startswith("- Neither yet: ")
    assert "?answer=mlops-engineer" in message.body and "?answer=neither" in message.body
    html, media_type = message.alternatives[0]
    assert media_type == "text/html" and "Neither yet" in html
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/follow-up/unsub")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "newsletter" not in message.body.lower()
    assert services.follow_ups_send_due() == 0


def test_one_reminder_after_14_days_and_no_more(clock, consented):
    _asked(clock)
    clock.advance(timedelta(days=13))
    assert services.follow_ups_send_due() == 0
    clock.advance(timedelta(days=1))
    assert services.follow_ups_send_due() == 1
    assert mail.outbox[-1].subject == "A reminder: which path did you take?"
    clock.advance(timedelta(days=30))
    assert services.follow_ups_send_due() == 0
    assert len(mail.outbox) == 2


def test_no_reminder_once_answered(clock, consented):
    message = _asked(clock)
    Client().post(_link(message, "Neither yet"), {"answer": "neither"})

    clock.advance(timedelta(days=20))

    assert services.follow_ups_send_due() == 0


def test_in_the_persons_language(clock, result, person):
    person.language = "es"
    person.save()
    _consent(result, person)

    message = _asked(clock)

    assert message.subject == "¿Qué camino tomaste?"
    assert f"{SITE}/es/follow-up/" in message.body


# The answer --------------------------------------------------------------------------------


def test_an_answer_link_opens_a_page_with_it_chosen_and_a_get_records_nothing(clock, consented):
    link = _link(_asked(clock), "Work as: MLOps")

    page = Client().get(link)

    assert page.status_code == 200
    assert 'value="mlops-engineer" checked' in page.content.decode()
    assert FollowUp.objects.get().answered_at is None


def test_the_button_records_the_answer_happiness_and_comment(clock, consented, result):
    link = _link(_asked(clock), "Work as: Data")
    browser = Client()

    response = browser.post(
        link, {"answer": "data-engineer", "happiness": "4", "comment": "Going well"}
    )

    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.answer == "data-engineer"
    assert follow_up.chose_top_role is (result.top_role.slug == "data-engineer")
    assert (follow_up.happiness, follow_up.comment) == (4, "Going well")
    assert follow_up.answered_at == clock.now()


def test_a_comment_is_counted_as_people_see_it_as_on_the_feedback(clock, consented):
    # A person at a laptop is three code points (five UTF-16 units) and one character.
    laptop = "\U0001f469\u200d\U0001f4bb"
    link = _link(_asked(clock), "Neither yet")

    refused = Client().post(link, {"answer": "neither", "comment": laptop * 501})
    kept = Client().post(link, {"answer": "neither", "comment": "Cafe\u0301 " + laptop * 495})

    assert refused.status_code == 400
    assert "(it has 501)" in refused.content.decode()
    assert kept.status_code == 302
    assert FollowUp.objects.get().comment == "Caf\u00e9 " + laptop * 495  # stored in NFC


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"answer": "astronaut"}, "Choose one of the answers."),
        ({"answer": "neither", "happiness": "6"}, "from 1 to 5"),
        ({"answer": "neither", "comment": "x" * 501}, "Keep the comment to 500"),
    ],
)
def test_a_bad_answer_is_refused_at_its_field(clock, consented, post, message):
    link = _link(_asked(clock), "Neither yet")

    response = Client().post(link, post)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert FollowUp.objects.get().answered_at is None


def test_the_links_expire_after_60_days(clock, consented):
    link = _link(_asked(clock), "Neither yet")
    clock.advance(timedelta(days=60))

    assert Client().get(link).status_code == 410
    assert Client().post(link, {"answer": "neither"}).status_code == 410
    assert Client().get("/follow-up/not-a-token/").status_code == 404
    assert FollowUp.objects.get().answered_at is None


def test_the_api_answers_with_the_e_mails_token(clock, consented, api):
    link = _link(_asked(clock), "Neither yet")
    token = link.split("/follow-up/")[1].split("/")[0]

    question = api.get(f"/api/v1/follow-ups/{token}/")
    assert question.status_code == 200
    assert [choice["value"] for choice in question.json()["choices"]][-1] == "neither"
    assert FollowUp.objects.get().answered_at is None

    refused = api.post(f"/api/v1/follow-ups/{token}/", {"answer": "x"}, format="json")
    assert refused.status_code == 400 and "answer" in json.dumps(refused.json())
    bad_happiness = api.post(
        f"/api/v1/follow-ups/{token}/", {"answer": "neither", "happiness": 0}, format="json"
    )
    assert bad_happiness.status_code == 400 and "happiness" in json.dumps(bad_happiness.json())

    answered = api.post(
        f"/api/v1/follow-ups/{token}/", {"answer": "neither", "happiness": 3}, format="json"
    )
    assert answered.status_code == 200 and answered.json()["answer"] == "neither"
    assert api.get("/api/v1/follow-ups/forged/").status_code == 404
    clock.advance(timedelta(days=61))
    assert api.get(f"/api/v1/follow-ups/{token}/").status_code == 410


def test_one_click_unsubscribe_from_a_post_with_no_session(clock, consented):
    message = _asked(clock)
    address = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix(SITE)
    mail_client = Client(enforce_csrf_checks=True)

    assert mail_client.get(address).status_code == 200
    assert FollowUp.objects.get().unsubscribed_at is None
    response = mail_client.post(
        address, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert FollowUp.objects.get().unsubscribed_at == clock.now()
    clock.advance(timedelta(days=20))
    assert services.follow_ups_send_due() == 0  # no reminder


def test_no_cache_keeps_the_answer_the_token_opens(clock, consented, api):
    # The token is the only credential, so no Authorization header marks the answer personal:
    # it holds the private comment, and the site's page is never kept either.
    link = _link(_asked(clock), "Neither yet")
    token = link.split("/follow-up/")[1].split("/")[0]
    url = f"/api/v1/follow-ups/{token}/"

    answers = [
        api.get(url),
        api.post(url, {"answer": "neither", "comment": "private"}, format="json"),
        api.get("/api/v1/follow-ups/forged/"),
    ]

    for answer in answers:
        assert "no-store" in answer["Cache-Control"], answer.status_code
    assert "no-store" in Client().get(link)["Cache-Control"]


# Exactly once --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_the_question_once(clock):
    content = factories.site_content_create()
    person = factories.UserFactory()
    result = submit(content.version, person)
    _consent(result, person)
    clock.advance(timedelta(days=180))
    race = at_once(services.follow_ups_send_due, services.follow_ups_send_due)

    assert race.errors == []
    assert sorted(race.returned) == [0, 1]
    assert len(mail.outbox) == 1


def test_through_the_queue_once_and_a_failure_retried(clock, consented, monkeypatch):
    from core.tasks import run_queue, schedule_due

    def fail(self, fail_silently=False):
        raise OSError("the mail server is down")

    clock.advance(timedelta(days=180))
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", fail)
    assert "follow-ups" in schedule_due(now=clock.now())
    run_queue()
    assert mail.outbox == [] and FollowUp.objects.get().asked_at is None
    monkeypatch.undo()

    run_queue(now=timezone.now() + timedelta(minutes=5))
    run_queue(now=timezone.now() + timedelta(minutes=10))

    assert len(mail.outbox) == 1 and FollowUp.objects.get().asked_at is not None


def test_the_command_sends_what_is_due(clock, consented):
    from django.core.management import call_command

    clock.advance(timedelta(days=180))
    call_command("send_follow_ups")
    call_command("send_follow_ups")

    assert len(mail.outbox) == 1


# The person's data -------------------------------------------------------------------------


def test_in_the_export_and_gone_with_the_account(clock, consented, person, client):
    link = _link(_asked(clock), "Neither yet")
    Client().post(link, {"answer": "neither", "comment": "Still looking"})
    client.force_login(person)

    data = json.loads(client.get("/profile/export/").content)

    assert data["follow_up"]["wording"] == following.WORDINGS[1]
    assert data["follow_up"]["answer"] == "neither"
    assert data["follow_up"]["comment"] == "Still looking"
    assert "@" not in json.dumps(data["follow_up"])  # no address kept with it

    from careerguide.accounts.services import user_remove

    user_remove(user=person)
    assert not FollowUp.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are PostgreSQL's (SQLite serialises whole writes; CI runs PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_two_consents_at_once_make_one_follow_up_and_no_error():
    # A double click, or the site and the app at once: the second used to insert beside the
    # first's uncommitted row and fail on the unique constraint (a 500).
    content = factories.site_content_create()
    person = factories.UserFactory()
    result = submit(content.version, person)
    # It pauses after finding no follow-up, its transaction still open.
    race = while_the_first_waits(
        lambda: _consent(result, person), pause_in=services, name="_language"
    )

    assert race.errors == []
    assert all(isinstance(outcome, FollowUp) for outcome in race.returned)
    assert FollowUp.objects.filter(user=person).count() == 1
