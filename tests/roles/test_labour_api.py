"""GET /api/v1/roles/{slug}/ carries the role's proxy occupations with their newest wages and
outlook, each with its period and source; a figure the source does not give is null."""

import pytest

from roles.models import LabourSource
from tests import factories

pytestmark = pytest.mark.django_db

CREDIT = LabourSource._meta.get_field("credit").default


def _source(dataset: str, period: str, url: str) -> dict:
    return {
        "publisher": "U.S. Bureau of Labor Statistics",
        "dataset": dataset,
        "period": period,
        "url": url,
        "retrieved_on": "2026-12-02",
        "credit": CREDIT,
    }


OEWS = "BLS Occupational Employment and Wage Statistics (national; cross-industry)"
OOH = "BLS Occupational Outlook Handbook (employment projections)"


def test_the_role_detail_has_its_proxies_with_wages_and_outlook(api, figures):
    body = api.get("/api/v1/roles/mlops-engineer/").json()

    scientists, developers = body["proxies"]
    assert scientists["code"] == "15-2051" and scientists["title"] == "Data Scientists"
    assert scientists["note"] == "Data Scientists stand in for the role."
    assert scientists["wages"] == {
        "p10": 63650,
        "p25": 82630,
        "median": 112590,
        "p75": 155810,
        "p90": 194410,
        "mean": None,
        "employment": None,
        "period": "May 2024",
        "source": _source(OEWS, "May 2024", "https://www.bls.gov/oes/2024/may/oes152051.htm"),
    }
    assert scientists["outlook"] == {
        "group_code": "15-2051",
        "group_title": "Data Scientists",
        "period": "2024-34",
        "base_year": 2024,
        "jobs": 245900,
        "growth_percent": 34,
        "growth_words": "Much faster than average",
        "openings_per_year": 23400,
        "median_pay": None,
        "summary": "34% growth 2024-34, much faster than average, about 23,400 openings a year",
        "source": _source(OOH, "2024-34", "https://www.bls.gov/ooh/math/data-scientists.htm"),
    }
    assert developers["code"] == "15-1252"
    assert developers["wages"]["mean"] == 144570 and developers["wages"]["employment"] == 1654440
    assert developers["outlook"]["group_code"] == "15-1252+15-1253"
    assert developers["outlook"]["jobs"] == 1895500


def test_a_proxy_without_figures_has_nulls_and_a_role_without_proxies_an_empty_list(
    api, site_content
):
    factories.RoleProxyFactory(role=site_content.data, note="No figures yet.")

    data = api.get("/api/v1/roles/data-engineer/").json()
    mlops = api.get("/api/v1/roles/mlops-engineer/").json()

    [proxy] = data["proxies"]
    assert proxy["note"] == "No figures yet." and proxy["wages"] is None
    assert proxy["outlook"] is None
    assert mlops["proxies"] == []


def test_the_role_list_stays_as_it_was(api, figures):
    body = api.get("/api/v1/roles/").json()
    assert all("proxies" not in role for role in body["results"])


def test_the_schema_describes_the_proxies(api, db):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    components = schema["components"]["schemas"]
    assert "proxies" in components["Role"]["properties"]
    proxy = components["Proxy"]["properties"]
    assert set(proxy) == {"code", "title", "note", "wages", "outlook"}
    assert set(components["Wages"]["properties"]) == {
        "p10",
        "p25",
        "median",
        "p75",
        "p90",
        "mean",
        "employment",
        "period",
        "source",
    }
    assert "null" in components["Wages"]["properties"]["mean"]["type"]
    # A proxy without figures yet: null, written as OpenAPI 3.1 and JSON Schema read it.
    assert proxy["wages"]["oneOf"] == [{"$ref": "#/components/schemas/Wages"}, {"type": "null"}]
    assert proxy["outlook"]["oneOf"] == [
        {"$ref": "#/components/schemas/Outlook"},
        {"type": "null"},
    ]
