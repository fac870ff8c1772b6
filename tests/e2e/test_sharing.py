"""Sharing and printing a result in a real browser (issue 17): a person shares their result,
someone with no cookies opens the link and sees only the fit, the lean, the version and the
date (the name only when ticked), the card is a real 1200x630 PNG, revoked links answer 404;
the shared page passes axe with no finding at all at desktop and phone width; and the result
page, the compare page and the learning plan print without navigation or buttons, with their
links written out."""

import io
import re
import shutil

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from assessments.models import ShareLink
from plans import selectors as plan_selectors
from plans import services as plan_services
from tests import factories
from tests.e2e.conftest import AXE_REPORT, DESKTOP, DOCS, PHONE, _docs_run
from tests.e2e.helpers import (
    answer_assessment,
    choice_texts,
    describe,
    log_in,
    overflow,
    planned_answers,
    start_assessment,
)

pytestmark = pytest.mark.e2e

SHARE_PAGE = re.compile(r"^http://[^/]+/s/[A-Za-z0-9_-]{32}/$")
# An A4 page's width at 96 dots per inch: the print screenshot is laid out as on paper.
A4 = {"width": 794, "height": 1123}


def _share_a_result(page, username: str) -> tuple[str, dict[int, int]]:
    """Log in, take the assessment leaning to data engineering; returns the result's id."""
    factories.UserFactory(username=username)
    log_in(page, username)
    start_assessment(page)
    answers = planned_answers(["data-engineer", "data-engineer", "mlops-engineer"])
    return answer_assessment(page, answers), answers


def _create_link(page, *, show_name: bool) -> str:
    share = page.locator("#share")
    box = share.get_by_label("Show my name")
    if show_name:
        box.check()
    else:
        box.uncheck()
    share.get_by_role("button", name="Create a link").click()
    expect(page).to_have_url(re.compile(r"/assessment/result/[0-9a-f-]{36}/#share$"))
    expect(page.locator(".messages")).to_contain_text("Your link is ready")
    # The newest link comes first, in its labelled read-only box.
    newest = page.locator("li.share-link").first
    label = "with your name" if show_name else "without your name"
    expect(newest.locator("label")).to_contain_text(label)
    url = newest.get_by_role("textbox").input_value()
    assert SHARE_PAGE.match(url), url
    expect(newest.get_by_role("textbox")).to_have_attribute("readonly", "")
    return url


def test_a_shared_result_shows_only_what_is_allowed_until_it_is_revoked(new_context, site):
    owner_context = new_context()
    owner_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = owner_context.new_page()
    result_id, answers = _share_a_result(page, "robin-shares")

    url = _create_link(page, show_name=False)
    # "Copy" puts the link on the clipboard and says so.
    page.locator("li.share-link").first.get_by_role("button", name=re.compile("^Copy")).click()
    expect(page.locator("li.share-link").first.get_by_role("status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == url

    # Someone with no cookies at all opens it.
    stranger = new_context().new_page()
    response = stranger.goto(url)
    assert response.status == 200
    assert response.headers["x-robots-tag"] == "noindex"
    assert not stranger.context.cookies()
    expect(stranger.locator("h1")).to_have_text("A career fit")
    expect(stranger.locator(".shared-lean")).to_have_text(
        re.compile(r"^A clear lean towards Data engineer: \d+% against \d+% for MLOps engineer\.$")
    )
    bars = stranger.locator(".fit-chart [role=img]")
    expect(bars).to_have_count(2)
    expect(bars.nth(0)).to_have_accessible_name(re.compile(r"^Data engineer: \d+% fit$"))
    expect(stranger.locator(".shared-facts")).to_contain_text(re.compile(r"Taken \d+ \w+ \d{4}"))
    expect(stranger.locator(".shared-facts")).to_contain_text("(version 1)")
    expect(stranger.locator('meta[name="robots"]')).to_have_attribute("content", "noindex")
    html = stranger.content()
    for text in choice_texts(answers):
        assert text not in html
    assert "robin-shares" not in html and result_id not in html
    expect(stranger.get_by_role("link", name="Take the assessment yourself")).to_be_visible()
    stranger.get_by_role("link", name="Take the assessment yourself").click()
    expect(stranger).to_have_url(re.compile(r"/assessment/$"))

    # The card it unfurls as: the og:image, a real 1200x630 PNG.
    stranger.goto(url)
    card_url = stranger.locator('meta[property="og:image"]').get_attribute("content")
    assert card_url == f"{url}card.png"
    expect(stranger.locator('meta[name="twitter:card"]')).to_have_attribute(
        "content", "summary_large_image"
    )
    card = stranger.request.get(card_url)
    assert card.status == 200 and card.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(card.body()))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    image.verify()

    # With "show my name" ticked, the name shows.
    named = _create_link(page, show_name=True)
    stranger.goto(named)
    expect(stranger.locator("h1")).to_have_text("robin-shares's career fit")

    # Revoked on the result page: 404 at once, the page and its card.
    unnamed_row = page.locator("li.share-link", has_text="without your name")
    unnamed_row.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(page.locator(".messages")).to_contain_text("The link is revoked")
    expect(page.locator("li.share-link")).to_have_count(1)
    assert stranger.goto(url).status == 404
    assert stranger.request.get(card_url).status == 404

    # The other one, revoked from the profile's list.
    page.goto("/profile/")
    rows = page.locator("tr.shared-link-row")
    expect(rows).to_have_count(1)
    expect(rows.locator(".shared-link-url")).to_have_attribute("data-full-url", named)
    expect(rows.get_by_role("button", name=re.compile("^Copy"))).to_be_visible()
    expect(rows.locator("td").nth(3)).to_have_text("Shown")
    rows.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(page).to_have_url(re.compile(r"/profile/#shared-links$"))
    expect(page.locator("tr.shared-link-row")).to_have_count(0)
    assert stranger.goto(named).status == 404
    assert ShareLink.objects.live().count() == 0


def _all_findings(page, name: str, audit) -> list[str]:
    """axe-core's findings of any impact, and sideways overflow."""
    page.wait_for_load_state("load")
    audit(page, name)
    width = page.viewport_size["width"]
    problems = []
    if found := AXE_REPORT[f"{name} @ {width}px"]["violations"]:
        problems.append(f"{name} ({page.url}) at {width}px:\n{describe(found)}")
    widths = overflow(page)
    if widths["scrollWidth"] > widths["innerWidth"]:
        problems.append(f"{name} overflows sideways at {width}px: {widths}")
    return problems


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_shared_page_and_the_share_section_have_no_axe_findings(
    new_context, audit, shoot, viewport
):
    page = new_context(viewport).new_page()
    _share_a_result(page, "sasha-shares")
    _create_link(page, show_name=True)
    url = _create_link(page, show_name=False)

    problems = _all_findings(page, "result-with-links", audit)
    shoot(page, "result-with-links")
    stranger = new_context(viewport).new_page()
    assert stranger.goto(url).status == 200
    problems += _all_findings(stranger, "shared", audit)
    shoot(stranger, "shared")
    page.goto("/profile/")
    problems += _all_findings(page, "profile-with-links", audit)

    assert not problems, "\n\n".join(problems)


def test_the_result_prints_without_navigation_or_buttons_and_with_links_written_out(
    new_context, screenshots_dir
):
    page = new_context(A4).new_page()
    _share_a_result(page, "morgan-prints")
    _create_link(page, show_name=False)

    page.emulate_media(media="print")

    for hidden in ["header nav", "footer", ".skip-link", "#share", "form", "button", ".btn"]:
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".fit-chart")).to_be_visible()
    # A link to one of our pages has its target written after it; an in-page one has not.
    role_link = page.locator(".fit-chart a").first
    after = role_link.evaluate("link => getComputedStyle(link, '::after').content")
    assert after == f'" ({role_link.get_attribute("href")})"'
    # The bars print in black and white: a dark solid fill inside an outlined track.
    bar = page.locator(".progress-bar").first
    styles = bar.evaluate(
        """bar => ({fill: getComputedStyle(bar).backgroundColor,
                    track: getComputedStyle(bar.parentElement).borderTopStyle,
                    adjust: getComputedStyle(bar).printColorAdjust})"""
    )
    assert styles == {"fill": "rgb(0, 0, 0)", "track": "solid", "adjust": "exact"}
    # Every answer is printed (its list folded on screen), each kept with its question.
    answers = page.locator("details ol > li")
    expect(answers.first).to_be_visible()
    assert answers.first.evaluate("item => getComputedStyle(item).breakInside") == "avoid"

    path = screenshots_dir / "result-print.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    if _docs_run():
        shutil.copyfile(path, DOCS / "screenshots" / "result-print.png")


def test_the_compare_page_and_the_learning_plan_print_too(new_context, screenshots_dir):
    person = factories.UserFactory(username="casey-prints")
    tools = [tool.slug for tool in plan_selectors.role_tools("mlops-engineer")]
    plan_services.ratings_save(user=person, levels=dict.fromkeys(tools, 0))
    today = timezone.localdate()
    plan_services.plan_update(user=person, today=today, role="mlops-engineer", hours_per_week=6)
    plan_services.step_status_set(user=person, tool=tools[0], status="done", today=today)
    page = new_context(A4).new_page()
    log_in(page, person.username)
    page.emulate_media(media="print")

    page.goto("/compare/")
    expect(page.locator("header nav")).to_be_hidden()
    expect(page.locator(".compare-table")).to_be_visible()
    tool_link = page.locator(".compare-table a[href^='/tools/']").first
    after = tool_link.evaluate("link => getComputedStyle(link, '::after').content")
    assert after == f'" ({tool_link.get_attribute("href")})"'
    page.screenshot(path=str(screenshots_dir / "compare-print.png"), full_page=True)

    page.goto("/plan/")
    for element in page.locator("form, button, .btn").all():
        expect(element).to_be_hidden()
    steps = page.locator("li.plan-step")
    expect(steps.first).to_be_visible()
    assert steps.first.evaluate("step => getComputedStyle(step).breakInside") == "avoid"
    # A step's status is dark text in an outlined badge, not white on a colour that may not print.
    badge = page.locator(".step-status").first
    colours = badge.evaluate(
        "badge => [getComputedStyle(badge).color, getComputedStyle(badge).borderTopStyle]"
    )
    assert colours == ["rgb(0, 0, 0)", "solid"]
    page.screenshot(path=str(screenshots_dir / "plan-print.png"), full_page=True)
