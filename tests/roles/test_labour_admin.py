"""Editors curate the federal figures in the admin: sources, occupations with their wages,
outlooks, and each role's proxy occupations; figures older than 18 months are flagged as
salaries are; bad input is refused at its field, with nothing saved."""

import datetime
import html

import pytest
from django.utils import timezone

from roles.models import (
    LabourSource,
    Occupation,
    Outlook,
    Role,
    RoleProxy,
    WageDistribution,
    months_before,
)
from tests import factories
from tests.admin_client import field_errors, form_data, messages_of, submit

pytestmark = pytest.mark.django_db


def _fresh(source: LabourSource) -> None:
    """Make a source's period recent, so that it is not flagged."""
    today = timezone.localdate()
    if source.kind == LabourSource.Kind.WAGES:
        source.reference_period = months_before(today, 2).strftime("%B %Y")
    else:
        source.reference_period = f"{today.year - 1}-{(today.year + 9) % 100:02d}"
    source.save()


@pytest.mark.parametrize(
    "page", ["/admin/roles/laboursource/", "/admin/roles/occupation/", "/admin/roles/outlook/"]
)
def test_an_editor_opens_every_labour_list(editor_client, figures, page):
    response = editor_client.get(page)
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0


def test_the_role_page_edits_its_proxy_occupations_inline(editor_client, figures):
    role = Role.objects.get(slug="mlops-engineer")
    page = editor_client.get(f"/admin/roles/role/{role.pk}/change/")
    data = form_data(page, "role_form")
    proxy = RoleProxy.objects.get(role=role, occupation__code="15-2051")
    row = next(
        int(name.split("-")[1])
        for name, values in data.items()
        if name.startswith("proxies-") and name.endswith("-id") and values == [str(proxy.pk)]
    )

    response = submit(
        editor_client, page, "role_form", {f"proxies-{row}-note_en": "Closest on the model side."}
    )

    assert response.status_code == 302
    proxy.refresh_from_db()
    assert proxy.note == "Closest on the model side."
    assert (
        "Closest on the model side." in editor_client.get("/roles/mlops-engineer/").content.decode()
    )


def test_an_occupation_page_edits_its_wages_and_says_which_roles_it_stands_in_for(
    editor_client, figures
):
    occupation = Occupation.objects.get(code="15-1243")
    page = editor_client.get(f"/admin/roles/occupation/{occupation.pk}/change/")
    assert "Data engineer" in page.content.decode()

    response = submit(editor_client, page, "occupation_form", {"wage_distributions-0-mean": 150000})

    assert response.status_code == 302
    assert WageDistribution.objects.get(occupation=occupation).mean == 150000
    assert "$150,000" in editor_client.get("/roles/data-engineer/").content.decode()


def test_percentiles_out_of_order_are_refused_at_the_field(editor_client, figures):
    occupation = Occupation.objects.get(code="15-1243")
    wages = WageDistribution.objects.get(occupation=occupation)
    page = editor_client.get(f"/admin/roles/occupation/{occupation.pk}/change/")

    response = submit(editor_client, page, "occupation_form", {"wage_distributions-0-p75": 100000})

    assert response.status_code == 200
    errors = next(
        inline.formset.errors
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "wage_distributions"
    )
    assert errors[0] == {"p75": ["The P75 can't be below the median."]}
    wages.refresh_from_db()
    assert wages.p75 == 169480


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("code", "151243", "Write a code such as 15-1243."),
        ("code", "15-1243", "Occupation with this Code already exists."),
        ("title", "", "This field is required."),
    ],
)
def test_a_bad_occupation_is_refused_at_the_field(editor_client, figures, field, value, error):
    page = editor_client.get("/admin/roles/occupation/add/")
    count = Occupation.objects.count()

    response = submit(
        editor_client, page, "occupation_form", {"code": "15-1299", "title": "X", field: value}
    )

    assert response.status_code == 200
    assert field_errors(response, field) == [error]
    assert Occupation.objects.count() == count


def test_an_outlook_may_only_cover_occupations_of_its_group(editor_client, figures):
    outlook = Outlook.objects.get(group_code="15-2051")
    architects = Occupation.objects.get(code="15-1243")
    page = editor_client.get(f"/admin/roles/outlook/{outlook.pk}/change/")
    covered = form_data(page, "outlook_form")["occupations"]

    response = submit(
        editor_client, page, "outlook_form", {"occupations": [*covered, str(architects.pk)]}
    )

    assert response.status_code == 200
    assert field_errors(response, "occupations") == [
        "15-1243 is not in the group 15-2051: pick only occupations whose code it lists."
    ]
    assert list(outlook.occupations.values_list("code", flat=True)) == ["15-2051"]


def test_an_outlook_source_must_be_a_projection(editor_client, figures):
    outlook = Outlook.objects.get(group_code="15-2051")
    wages_source = LabourSource.objects.filter(kind=LabourSource.Kind.WAGES).first()
    page = editor_client.get(f"/admin/roles/outlook/{outlook.pk}/change/")

    response = submit(editor_client, page, "outlook_form", {"source": wages_source.pk})

    assert response.status_code == 200
    assert field_errors(response, "source")
    outlook.refresh_from_db()
    assert outlook.source.kind == LabourSource.Kind.OUTLOOK


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"reference_period": "Spring 2024"}, "reference_period", "Write a survey month"),
        ({"reference_period": "2024-34"}, "reference_period", "Wages are for a survey month"),
        ({"page_url": "not a page"}, "page_url", "Enter a valid URL."),
        ({"kind": "outlook", "reference_period": "2024-34"}, "kind", "Figures of the other kind"),
    ],
)
def test_a_bad_source_is_refused_at_the_field(editor_client, figures, changes, field, error):
    source = LabourSource.objects.filter(kind=LabourSource.Kind.WAGES).first()
    before = (source.kind, source.reference_period, source.page_url)
    page = editor_client.get(f"/admin/roles/laboursource/{source.pk}/change/")

    response = submit(editor_client, page, "laboursource_form", changes)

    assert response.status_code == 200
    assert any(message.startswith(error) for message in field_errors(response, field))
    source.refresh_from_db()
    assert (source.kind, source.reference_period, source.page_url) == before


# The stale-figure warning -------------------------------------------------------------------


def test_figures_older_than_18_months_are_flagged_everywhere_they_are_edited(
    editor_client, figures
):
    # The shipped release (May 2024 wages, 2024-34 outlook) is older than 18 months by now.
    today = timezone.localdate()
    assert all(source.is_stale(today) for source in LabourSource.objects.all())
    role = Role.objects.get(slug="data-engineer")
    occupation = Occupation.objects.get(code="15-1243")
    outlook = Outlook.objects.get(group_code="15-1242+15-1243")
    source = WageDistribution.objects.get(occupation=occupation).source

    for url, count in [
        (f"/admin/roles/role/{role.pk}/change/", 2),  # its proxy's wages and outlook
        (f"/admin/roles/occupation/{occupation.pk}/change/", 2),
        (f"/admin/roles/outlook/{outlook.pk}/change/", 1),
        (f"/admin/roles/laboursource/{source.pk}/change/", 1),
    ]:
        warnings = [m for m in messages_of(editor_client.get(url)) if " figures of " in m]
        assert len(warnings) == count, url
    assert "please check https://www.bls.gov/oes/2024/may/oes151243.htm" in warnings[0]
    for url, count in [
        ("/admin/roles/laboursource/", 6),
        ("/admin/roles/outlook/", 3),
        (f"/admin/roles/occupation/{occupation.pk}/change/", 1),  # the wages row
    ]:
        page = editor_client.get(url).content.decode()
        assert page.count("Older than 18 months") == count, url


def test_fresh_figures_give_no_warning(editor_client, figures):
    for source in LabourSource.objects.all():
        _fresh(source)
    role = Role.objects.get(slug="data-engineer")

    response = editor_client.get(f"/admin/roles/role/{role.pk}/change/")

    assert not [m for m in messages_of(response) if " figures of " in m]
    page = editor_client.get("/admin/roles/laboursource/").content.decode()
    assert "Older than 18 months" not in page and page.count("Current") == 6


def test_only_the_newest_release_is_warned_about_on_the_role_page(editor_client, figures):
    old = WageDistribution.objects.get(occupation__code="15-1243")
    new_source = factories.LabourSourceFactory()
    _fresh(new_source)
    factories.WageDistributionFactory(occupation=old.occupation, source=new_source)
    for source in LabourSource.objects.filter(kind=LabourSource.Kind.OUTLOOK):
        _fresh(source)
    role = Role.objects.get(slug="data-engineer")

    response = editor_client.get(f"/admin/roles/role/{role.pk}/change/")

    assert not [m for m in messages_of(response) if " figures of " in m]


@pytest.mark.parametrize(
    ("period", "stale"),
    [
        # A survey month counts from its last day, a projection from its base year's end.
        ("May 2025", False),
        ("April 2025", True),
        ("2025-35", False),
        ("2024-34", True),
    ],
)
def test_when_a_source_becomes_stale(period, stale):
    today = datetime.date(2026, 11, 30)
    assert LabourSource(reference_period=period).is_stale(today) is stale


def test_editors_changes_are_in_the_admin_history(editor_client, editor, figures):
    occupation = Occupation.objects.get(code="15-2051")
    page = editor_client.get(f"/admin/roles/occupation/{occupation.pk}/change/")

    submit(editor_client, page, "occupation_form", {"title": "Data scientists (SOC)"})

    from django.contrib.admin.models import LogEntry

    entry = LogEntry.objects.get(object_id=str(occupation.pk))
    assert entry.user == editor
    assert "Data scientists (SOC)" in html.unescape(
        editor_client.get("/roles/mlops-engineer/").content.decode()
    )
