"""The role and compare pages show, per proxy occupation, its note, its wage range (chart and
table) and its outlook in one line, each with its source: every figure of the CSV for the
role, and none that is not in it."""

import csv
import re
from collections import Counter, defaultdict
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from roles.models import Outlook, RoleProxy, WageDistribution
from tests import factories
from tests.roles.conftest import LABOUR_CSV

pytestmark = pytest.mark.django_db


def _csv_rows():
    with LABOUR_CSV.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _expected(role_slug: str) -> dict[str, Counter]:
    """The CSV's values for the role, by the proxy occupation whose block must show them (a
    Handbook group's figures show at the proxy occupations among its codes)."""
    codes = set(
        RoleProxy.objects.filter(role__slug=role_slug).values_list("occupation__code", flat=True)
    )
    expected: dict[str, Counter] = defaultdict(Counter)
    for row in _csv_rows():
        if row["proxy_for"] != role_slug:
            continue
        for code in set(row["soc_code"].split("+")) & codes:
            expected[code][row["value"]] += 1
    return expected


class _Blocks(HTMLParser):
    """Per proxy block (article.proxy-figures): the values of its <data> elements, its text
    outside them and outside the chart, and the texts of the chart."""

    def __init__(self):
        super().__init__()
        self.blocks: dict[str, dict] = {}
        self.current = None
        self.depth = 0
        self.in_data = self.in_svg = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article" and "proxy-figures" in (attrs.get("class") or ""):
            self.current = {"data": Counter(), "measures": [], "text": "", "svg": ""}
            self.blocks[attrs["id"]] = self.current
            self.depth = 0
        if self.current is None:
            return
        if tag == "article":
            self.depth += 1
        elif tag == "data":
            self.current["data"][attrs["value"]] += 1
            self.current["measures"].append(attrs.get("data-measure"))
            self.in_data = True
        elif tag == "svg":
            self.in_svg = True

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag == "data":
            self.in_data = False
        elif tag == "svg":
            self.in_svg = False
        elif tag == "article":
            self.depth -= 1
            if self.depth == 0:
                self.current = None

    def handle_data(self, data):
        if self.current is None:
            return
        if self.in_svg:
            self.current["svg"] += data + " "
        elif not self.in_data:
            self.current["text"] += data


def _blocks(html: str) -> dict[str, dict]:
    parser = _Blocks()
    parser.feed(html)
    return parser.blocks


def _words_without_figures(text: str) -> str:
    """The block's text with what may hold digits and is not a figure taken out: periods,
    occupation codes, percentile names and the retrieval date."""
    for pattern in [
        r"retrieved \d{1,2} \w+ \d{4}",
        r"\d{2}-\d{4}(\+\d{2}-\d{4})*",
        r"(January|February|March|April|May|June|July|August|September|October|November"
        r"|December) \d{4}",
        r"\d{4}-\d{2}",
        r"\bin \d{4}\b",
        r"\bP(10|25|75|90)\b",
    ]:
        text = re.sub(pattern, "", text)
    return text


def _assert_shows_exactly_the_csv(blocks: dict[str, dict], role_slug: str) -> None:
    expected = _expected(role_slug)
    shown = {key: block for key, block in blocks.items() if key.startswith(f"proxy-{role_slug}-")}
    assert set(shown) == {f"proxy-{role_slug}-{code}" for code in expected}
    for code, values in expected.items():
        block = shown[f"proxy-{role_slug}-{code}"]
        assert block["data"] == values, code
        leftover = _words_without_figures(block["text"])
        assert not re.search(r"\d", leftover), (code, re.findall(r".{20}\d.{20}", leftover))
        # The chart says nothing the table doesn't: its dollar labels are CSV figures.
        for amount in re.findall(r"\$([\d,]+)(?!k)\b", block["svg"]):
            assert amount.replace(",", "") in values, (code, amount)


@pytest.mark.parametrize("role_slug", ["data-engineer", "mlops-engineer"])
def test_the_role_page_shows_every_figure_of_the_csv_for_its_role_and_no_other(
    client, figures, role_slug
):
    response = client.get(reverse("roles:detail", args=[role_slug]))

    assert response.status_code == 200
    _assert_shows_exactly_the_csv(_blocks(response.content.decode()), role_slug)


def test_the_compare_page_shows_every_figure_of_the_csv_in_each_roles_column(client, figures):
    html = client.get(reverse("roles:compare")).content.decode()

    row = html.split('<td class="proxy-cell"', 1)[1].split('<th scope="row">Why it matters')[0]
    cells = row.split('<td class="proxy-cell"')
    assert len(cells) == len(figures.roles)
    for role, cell in zip(figures.roles, cells, strict=True):
        blocks = _blocks(cell)
        assert all(key.startswith(f"proxy-{role.slug}-") for key in blocks)
        _assert_shows_exactly_the_csv(blocks, role.slug)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_a_proxy_shows_its_note_outlook_line_and_sources(client, figures):
    html = client.get(reverse("roles:detail", args=["mlops-engineer"])).content.decode()
    text = re.sub(r"<[^>]+>", "", html)

    assert RoleProxy.objects.get(occupation__code="15-2051").note in text
    assert (
        "Outlook: 34% growth 2024-34, much faster than average, about 23,400 openings a year."
        in text
    )
    assert (
        "Outlook for Software Developers, Quality Assurance Analysts, and Testers "
        "(15-1252+15-1253), projected together: 15% growth 2024-34" in text
    )
    for url, period in [
        ("https://www.bls.gov/oes/2024/may/oes152051.htm", "May 2024"),
        ("https://www.bls.gov/ooh/math/data-scientists.htm", "2024-34"),
    ]:
        assert re.search(
            rf'Source: <a href="{re.escape(url)}" rel="noopener external">[^<]+</a>, {period}; '
            r"U\.S\. Bureau of Labor Statistics, retrieved 2 December 2026\.",
            html,
        ), url
    assert "BLS does not endorse this site" in text
    assert 'href="/compare/#federal-figures"' in html


def test_the_glassdoor_figure_stays_beside_the_federal_ones(client, figures):
    html = client.get(reverse("roles:detail", args=["data-engineer"])).content.decode()
    pay = html.split('id="pay-title"')[1].split("</section>")[0]

    figure = figures.data.salary_figures.get()
    assert f"{figure.amount:,}" in pay and figure.source_name in pay
    assert "Federal figures for the nearest occupations" in pay
    assert 'class="wage-chart' in pay


def test_a_figure_the_source_does_not_give_is_left_out(client, figures):
    blocks = _blocks(client.get(reverse("roles:detail", args=["mlops-engineer"])).content.decode())

    scientists = blocks["proxy-mlops-engineer-15-2051"]
    developers = blocks["proxy-mlops-engineer-15-1252"]
    assert "mean" not in scientists["measures"] and "Mean" not in scientists["text"]
    assert "employment" not in scientists["measures"] and "Employment:" not in scientists["text"]
    assert "median_pay" not in scientists["measures"] and "median pay" not in scientists["text"]
    assert {"mean", "employment", "median_pay"} <= set(developers["measures"])


def test_oews_employment_and_handbook_jobs_are_never_one_figure(client, figures):
    html = client.get(reverse("roles:detail", args=["data-engineer"])).content.decode()
    wages = html.split('class="wage-range')[1].split('class="outlook"')[0]
    outlook = html.split('class="outlook"')[1].split("</article>")[0]

    assert 'data-measure="employment"' in wages and 'data-measure="jobs"' not in wages
    assert 'data-measure="jobs"' in outlook and 'data-measure="employment"' not in outlook
    assert "wage and salary workers in May 2024" in wages
    assert "jobs in 2024 (all workers" in outlook
    # No sum or share of the two anywhere: 64,770 + 144,900 is not on the page.
    assert "209,670" not in html


def test_the_chart_is_an_image_with_a_title_a_description_and_a_table(client, figures):
    html = client.get(reverse("roles:detail", args=["data-engineer"])).content.decode()

    svg = re.search(r"<svg [^>]*>", html.split('class="wage-range')[1]).group(0)
    assert 'role="img"' in svg
    chart_id = "wages-data-engineer-15-1243"
    assert f'aria-labelledby="{chart_id}-title"' in svg
    assert f'aria-describedby="{chart_id}-desc"' in svg
    assert (
        f'<title id="{chart_id}-title">Annual wages of Database Architects, May 2024</title>'
        in html
    )
    assert re.search(rf'<desc id="{chart_id}-desc">[^<]*a tenth earn less than \$81,630', html)
    assert 'class="wage-band"' in html and 'class="wage-whisker"' in html
    assert 'class="wage-median"' in html
    table = html.split('class="table table-sm wage-table')[1].split("</table>")[0]
    assert "<caption" in table and '<th scope="row"' in table
    assert "Median: half earn less" in table


def test_the_compare_page_explains_proxies_and_what_percentiles_are_not(client, figures):
    text = re.sub(r"<[^>]+>", "", client.get(reverse("roles:compare")).content.decode())

    assert "About the federal figures" in text
    assert "proxies" in text
    assert "The percentiles are not experience levels." in text
    assert "never add, compare or combine them" in text


def test_without_proxies_the_pages_show_no_federal_section(client, site_content):
    role_page = client.get(reverse("roles:detail", args=["data-engineer"])).content.decode()
    compare = client.get(reverse("roles:compare")).content.decode()

    assert "Federal figures" not in role_page and "proxy-figures" not in role_page
    assert "federal-figures" not in compare and "proxy-cell" not in compare


def test_a_proxy_without_figures_says_so_and_estimates_nothing(client, site_content):
    factories.RoleProxyFactory(role=site_content.data, note="A new stand-in, no figures yet.")

    html = client.get(reverse("roles:detail", args=["data-engineer"])).content.decode()

    assert "A new stand-in, no figures yet." in html
    assert "No federal wage figures are recorded for this occupation." in html
    assert "<svg" not in html.split('id="pay-title"')[1].split("</section>")[0]


# Cached pages follow every change to the figures --------------------------------------------


def _shows(client, url: str, number: int) -> bool:
    body = re.sub(r"(?<=\d),(?=\d{3})", "", client.get(url).content.decode())
    return bool(re.search(rf"(?<!\d){number}(?!\d)", body))


@pytest.mark.parametrize(
    "url", ["/roles/data-engineer/", "/compare/", "/api/v1/roles/data-engineer/"]
)
def test_cached_pages_follow_an_editors_change_to_any_labour_row(client, figures, url):
    wages = WageDistribution.objects.get(occupation__code="15-1243")
    outlook = Outlook.objects.get(group_code="15-1242+15-1243")
    proxy = RoleProxy.objects.get(occupation__code="15-1243")
    assert _shows(client, url, 135_980) and _shows(client, url, 7_800)  # now cached

    wages.median = 140_000
    wages.save()
    assert _shows(client, url, 140_000)
    outlook.openings_per_year = 7_900
    outlook.save()
    assert _shows(client, url, 7_900)
    proxy.note = "A rewritten note."
    proxy.save()
    assert "A rewritten note." in client.get(url).content.decode()
    source = wages.source
    source.retrieved_on = source.retrieved_on.replace(year=2027)
    source.save()
    assert "2027" in client.get(url).content.decode()
    outlook.occupations.clear()  # the projection no longer covers the occupation
    assert not _shows(client, url, 7_900)


# Query counts: pinned, and flat however many occupations, releases and roles ----------------


def _labour_for_every_role(roles, *, releases: int):
    """Three proxies per role, each with `releases` wage surveys and outlooks."""
    wage_sources = [
        factories.LabourSourceFactory(reference_period=f"May {2020 + year}")
        for year in range(releases)
    ]
    outlook_sources = [
        factories.OutlookSourceFactory(reference_period=f"{2020 + year}-{30 + year}")
        for year in range(releases)
    ]
    for role in roles:
        for _ in range(3):
            proxy = factories.RoleProxyFactory(role=role)
            for source in wage_sources:
                factories.WageDistributionFactory(occupation=proxy.occupation, source=source)
            for source in outlook_sources:
                factories.OutlookFactory(
                    group_code=proxy.occupation.code, source=source, occupations=[proxy.occupation]
                )


# The catalog's queries (tests/roles/test_catalog_pages.py) plus three: the proxies with their
# occupations, their wages with sources, their outlooks with sources.
PAGES = [("role", 8), ("compare", 10), ("api-role", 9)]


def rescore_page_url(name, roles):
    return {
        "role": roles[0].get_absolute_url(),
        "compare": "/compare/",
        "api-role": f"/api/v1/roles/{roles[0].slug}/",
    }[name]


@pytest.mark.parametrize(("name", "queries"), PAGES, ids=[name for name, _ in PAGES])
def test_the_pages_run_a_fixed_number_of_queries_with_many_figures(
    client, big_catalog, django_assert_num_queries, name, queries
):
    _labour_for_every_role(big_catalog, releases=3)

    with django_assert_num_queries(queries):
        response = client.get(rescore_page_url(name, big_catalog))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "queries"), PAGES, ids=[name for name, _ in PAGES])
def test_the_query_count_is_the_same_for_one_release_and_for_ten(
    client, site_content, django_assert_num_queries, name, queries
):
    _labour_for_every_role(site_content.roles, releases=1)
    with django_assert_num_queries(queries):
        assert client.get(rescore_page_url(name, site_content.roles)).status_code == 200

    _labour_for_every_role(factories.RoleFactory.create_batch(10), releases=10)
    _labour_for_every_role(site_content.roles, releases=10)
    with django_assert_num_queries(queries):
        assert client.get(rescore_page_url(name, site_content.roles)).status_code == 200
