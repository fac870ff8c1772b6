"""Federal labour-market figures: sources, occupations, proxies, wages and outlooks."""

import datetime

import factory

from roles.models import (
    LabourSource,
    Occupation,
    Outlook,
    Role,
    RoleProxy,
    WageDistribution,
)
from tests.factories.catalog import RoleFactory

# Federal labour-market figures -------------------------------------------------------------


class LabourSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabourSource

    dataset = "BLS Occupational Employment and Wage Statistics (national; cross-industry)"
    kind = LabourSource.Kind.WAGES
    reference_period = "May 2024"
    page_url = factory.Sequence(lambda n: f"https://www.bls.gov/oes/2024/may/oes{n:06d}.htm")
    retrieved_on = datetime.date(2025, 6, 1)


class OutlookSourceFactory(LabourSourceFactory):
    dataset = "BLS Occupational Outlook Handbook (employment projections)"
    kind = LabourSource.Kind.OUTLOOK
    reference_period = "2024-34"
    page_url = factory.Sequence(lambda n: f"https://www.bls.gov/ooh/page-{n}.htm")


class OccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupation

    code = factory.Sequence(lambda n: f"{29 + n // 10_000:02d}-{n % 10_000:04d}")
    title = factory.Sequence(lambda n: f"Occupation {n}")


class RoleProxyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleProxy

    role = factory.SubFactory(RoleFactory)
    occupation = factory.SubFactory(OccupationFactory)
    note = "The nearest federal occupation to the role."
    order = factory.Sequence(lambda n: n)


class WageDistributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WageDistribution

    occupation = factory.SubFactory(OccupationFactory)
    source = factory.SubFactory(LabourSourceFactory)
    p10 = 60_000
    p25 = 80_000
    median = 100_000
    p75 = 130_000
    p90 = 160_000
    mean = 105_000
    employment = 50_000


class OutlookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlook
        skip_postgeneration_save = True

    group_code = factory.Sequence(lambda n: f"19-{n % 10_000:04d}")
    group_title = "An occupation group"
    source = factory.SubFactory(OutlookSourceFactory)
    jobs = 100_000
    growth_percent = 10
    growth_words = "Much faster than average"
    openings_per_year = 9_000
    median_pay = 110_000

    @factory.post_generation
    def occupations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.occupations.set(extracted)


# The occupations of fixtures/sources/us-labour-market.csv, and the roles they stand in for.
LABOUR_PROXIES = [
    ("data-engineer", "15-1243", "Database Architects"),
    ("mlops-engineer", "15-2051", "Data Scientists"),
    ("mlops-engineer", "15-1252", "Software Developers"),
]


def labour_proxies_create() -> dict[str, Occupation]:
    """The occupations the shipped CSV holds figures for, each a proxy of its role in the
    default world (site_content_create), with no figures yet: what an import needs."""
    occupations = {}
    for order, (role_slug, code, title) in enumerate(LABOUR_PROXIES):
        occupation = Occupation.objects.filter(code=code).first() or OccupationFactory(
            code=code, title=title
        )
        RoleProxy.objects.get_or_create(
            role=Role.objects.get(slug=role_slug),
            occupation=occupation,
            defaults={"note": f"{title} stand in for the role.", "order": order},
        )
        occupations[code] = occupation
    return occupations


def labour_figures_create() -> dict[str, Occupation]:
    """labour_proxies_create, and for each occupation one wage survey and a Handbook outlook
    (the data engineer's for a group of two codes, as the Handbook has it)."""
    occupations = labour_proxies_create()
    for code, occupation in occupations.items():
        WageDistributionFactory(occupation=occupation)
        group_code = "15-1242+15-1243" if code == "15-1243" else code
        OutlookFactory(group_code=group_code, occupations=[occupation])
    return occupations
