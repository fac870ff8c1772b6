"""factory_boy factories: the one way tests make data."""

import datetime
from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from plans.models import Plan, SkillRating
from quizzes.models import Choice, ChoiceWeight, Question, Quiz, QuizVersion
from quizzes.selectors import DEFAULT_QUIZ_SLUG
from roles.models import (
    AspectText,
    CareerAspect,
    FocusArea,
    FocusPoint,
    LabourSource,
    Occupation,
    Outlook,
    Role,
    RoleProxy,
    SalaryFigure,
    Tool,
    ToolCategory,
    WageDistribution,
)

TEST_PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Role {n}")
    slug = factory.Sequence(lambda n: f"role-{n}")
    tagline = factory.Faker("sentence")
    summary = factory.Faker("paragraph")
    order = factory.Sequence(lambda n: n)


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    role = factory.SubFactory(RoleFactory)
    slug = factory.Sequence(lambda n: f"area-{n}")
    title = factory.Sequence(lambda n: f"Focus area {n}")
    summary = factory.Faker("sentence")
    order = factory.Sequence(lambda n: n)


class FocusPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusPoint

    focus_area = factory.SubFactory(FocusAreaFactory)
    title = factory.Sequence(lambda n: f"Point {n}")
    text = factory.Faker("sentence")
    order = factory.Sequence(lambda n: n)


class ToolCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolCategory

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tool
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Tool {n}")
    slug = factory.Sequence(lambda n: f"tool-{n}")
    category = factory.SubFactory(ToolCategoryFactory)
    summary = factory.Faker("sentence")
    usage = factory.Faker("paragraph")
    homepage = "https://example.com/"
    is_open_source = True
    order = factory.Sequence(lambda n: n)
    hours_to_learn = 20
    milestones = (
        "Install it and run the tutorial\nUse it on a small project\nExplain it to a colleague"
    )

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.roles.set(extracted)

    @factory.post_generation
    def prerequisites(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.prerequisites.set(extracted)


class SalaryFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalaryFigure

    role = factory.SubFactory(RoleFactory)
    amount = 100_000
    currency = "USD"
    period = SalaryFigure.Period.YEAR
    source_name = factory.Sequence(lambda n: f"Source {n}")
    source_url = "https://example.com/salaries"
    as_of = datetime.date(2025, 1, 1)


class CareerAspectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareerAspect

    name = factory.Sequence(lambda n: f"Aspect {n}")
    slug = factory.Sequence(lambda n: f"aspect-{n}")
    order = factory.Sequence(lambda n: n)


class AspectTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AspectText

    aspect = factory.SubFactory(CareerAspectFactory)
    role = factory.SubFactory(RoleFactory)
    text = factory.Faker("sentence")


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Quiz {n}")
    slug = factory.Sequence(lambda n: f"quiz-{n}")


class QuizVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizVersion

    quiz = factory.SubFactory(QuizFactory)
    number = factory.Sequence(lambda n: n + 100)
    status = QuizVersion.Status.PUBLISHED
    published_at = factory.LazyAttribute(
        lambda version: timezone.now() if version.status == QuizVersion.Status.PUBLISHED else None
    )


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    version = factory.SubFactory(QuizVersionFactory)
    key = factory.Sequence(lambda n: f"question-{n}")
    text = factory.Sequence(lambda n: f"Question {n}?")
    order = factory.Sequence(lambda n: n)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    key = factory.Sequence(lambda n: f"choice-{n}")
    text = factory.Sequence(lambda n: f"Choice {n}")
    order = factory.Sequence(lambda n: n)


class ChoiceWeightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChoiceWeight

    choice = factory.SubFactory(ChoiceFactory)
    role = factory.SubFactory(RoleFactory)
    weight = 1


def make_quiz_version(*, roles, question_count, quiz=None, current=False, number=None):
    """A published version whose every question has one choice per role, weighing 3 for its
    role and 0 for the others, plus a middle choice weighing 1 for every role.

    Rows are inserted in bulk (three queries, however many questions), so big versions for
    query-count tests and the default world stay cheap to build.
    """
    version = QuizVersionFactory(
        quiz=quiz or QuizFactory(),
        is_current=current,
        **({"number": number} if number is not None else {}),
    )
    questions = Question.objects.bulk_create(
        Question(
            version=version,
            key=f"question-{index + 1}",
            text=f"Question {index + 1}: which of these would you most like to do?",
            order=index + 1,
        )
        for index in range(question_count)
    )
    choices, weights = [], []
    for index, question in enumerate(questions):
        for position, role in enumerate(roles):
            choice = Choice(
                question=question,
                key=f"for-{role.slug}",
                text=f"Question {index + 1}: the {role.name} way",
                order=position + 1,
            )
            choices.append(choice)
            weights += [(choice, other, 3 if other == role else 0) for other in roles]
        middle = Choice(
            question=question,
            key="middle",
            text=f"Question {index + 1}: a bit of everything",
            order=len(roles) + 1,
        )
        choices.append(middle)
        weights += [(middle, role, 1) for role in roles]
    Choice.objects.bulk_create(choices)
    ChoiceWeight.objects.bulk_create(
        ChoiceWeight(choice=choice, role=role, weight=weight) for choice, role, weight in weights
    )
    return version


class SkillRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillRating

    user = factory.SubFactory(UserFactory)
    tool = factory.SubFactory(ToolFactory)
    level = 0


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    user = factory.SubFactory(UserFactory)
    role = factory.SubFactory(RoleFactory)
    hours_per_week = 5
    started_on = factory.LazyFunction(datetime.date.today)


class StaffUserFactory(UserFactory):
    """A staff member with no permissions: may log in to the admin, and sees nothing there."""

    is_staff = True


class EditorFactory(StaffUserFactory):
    """A staff member in the Editors group (created by a data migration)."""

    @factory.post_generation
    def editors_group(obj, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Group

            from careerguide.accounts.models import EDITORS_GROUP

            obj.groups.add(Group.objects.get(name=EDITORS_GROUP))


class SuperuserFactory(StaffUserFactory):
    is_superuser = True


# The default world of the tests ------------------------------------------------------------

QUESTION_COUNT = 14  # three pages of the web flow (6 a page), and even, so a mix is a tie


@dataclass
class SiteContent:
    """What `site_content_create` built, for tests to read instead of the seed's facts."""

    mlops: Role
    data: Role
    roles: list[Role]
    categories: dict[str, ToolCategory]
    tools: dict[str, Tool]  # by slug
    aspects: list[CareerAspect]
    quiz: Quiz
    version: QuizVersion

    @property
    def questions(self) -> list[Question]:
        return list(self.version.questions.order_by("order"))


# slug, name, category slug, role slugs, open source, summary
WORLD_TOOLS = [
    (
        "docker",
        "Docker",
        "containers",
        ["mlops-engineer"],
        True,
        "Packages a model and everything it needs into a container that runs anywhere.",
    ),
    (
        "kubeflow",
        "Kubeflow",
        "ml-lifecycle",
        ["mlops-engineer"],
        True,
        "Runs machine learning pipelines on Kubernetes clusters.",
    ),
    (
        "mlflow",
        "MLflow",
        "ml-lifecycle",
        ["mlops-engineer"],
        True,
        "Tracks experiments and keeps a registry of trained models.",
    ),
    (
        "kafka",
        "Apache Kafka",
        "stream-processing",
        ["data-engineer"],
        True,
        "Carries streams of events between systems as they happen.",
    ),
    (
        "flink",
        "Apache Flink",
        "stream-processing",
        ["data-engineer"],
        True,
        "Computes results over streams of events while they flow.",
    ),
    (
        "spark",
        "Apache Spark",
        "batch-processing",
        ["data-engineer"],
        True,
        "Processes large datasets in parallel across a cluster.",
    ),
    (
        "redshift",
        "Amazon Redshift",
        "data-warehouse",
        ["data-engineer"],
        False,
        "A cloud data warehouse for petabyte-scale analytics.",
    ),
    (
        "airflow",
        "Apache Airflow",
        "orchestration",
        ["data-engineer", "mlops-engineer"],
        True,
        "Schedules pipelines written in Python and watches them run.",
    ),
    (
        "dvc",
        "DVC",
        "versioning",
        ["data-engineer", "mlops-engineer"],
        True,
        "Versions datasets and models next to the code in Git.",
    ),
]
WORLD_CATEGORIES = [
    ("containers", "Containers"),
    ("ml-lifecycle", "ML lifecycle platforms"),
    ("stream-processing", "Stream processing"),
    ("batch-processing", "Batch processing"),
    ("data-warehouse", "Data warehousing"),
    ("orchestration", "Workflow orchestration"),
    ("versioning", "Data and model versioning"),
]


def site_content_create(*, question_count: int = QUESTION_COUNT) -> SiteContent:
    """A small fixed world: two roles with focus areas, salaries and aspect texts; tools in a
    handful of categories, two of them shared by both roles; and the `career-fit` quiz whose
    current version has `question_count` questions, each with a choice leaning to each role
    and one in the middle."""
    mlops = RoleFactory(
        name="MLOps engineer",
        slug="mlops-engineer",
        tagline="Keeps machine learning models running for real users.",
        order=1,
    )
    data = RoleFactory(
        name="Data engineer",
        slug="data-engineer",
        tagline="Builds the pipelines that move and store data.",
        order=2,
    )
    roles = [mlops, data]
    for role in roles:
        for area_index in range(2):
            area = FocusAreaFactory(role=role, slug=f"{role.slug}-area-{area_index + 1}")
            FocusPointFactory.create_batch(2, focus_area=area)
    SalaryFigureFactory(
        role=mlops, amount=125_000, source_name="Salary survey", as_of=datetime.date(2023, 10, 1)
    )
    SalaryFigureFactory(
        role=data, amount=115_000, source_name="Salary survey", as_of=datetime.date(2023, 10, 1)
    )
    aspects = [
        CareerAspectFactory(name=name, slug=slug, order=index + 1)
        for index, (slug, name) in enumerate(
            [("stimulating-work", "Stimulating work"), ("growth", "Growth year over year")]
        )
    ]
    for aspect in aspects:
        for role in roles:
            AspectTextFactory(aspect=aspect, role=role)
    categories = {
        slug: ToolCategoryFactory(slug=slug, name=name, order=index + 1)
        for index, (slug, name) in enumerate(WORLD_CATEGORIES)
    }
    by_slug = {role.slug: role for role in roles}
    tools = {
        slug: ToolFactory(
            slug=slug,
            name=name,
            category=categories[category],
            roles=[by_slug[role] for role in role_slugs],
            summary=summary,
            usage=f"{name} is used every day. {summary}",
            is_open_source=is_open_source,
            order=index + 1,
        )
        for index, (slug, name, category, role_slugs, is_open_source, summary) in enumerate(
            WORLD_TOOLS
        )
    }
    # One prerequisite, as editors would set it: Kubeflow runs on containers.
    tools["kubeflow"].prerequisites.set([tools["docker"]])
    quiz = QuizFactory(slug=DEFAULT_QUIZ_SLUG, name="Which data career fits you?")
    version = make_quiz_version(
        roles=roles, question_count=question_count, quiz=quiz, current=True, number=1
    )
    return SiteContent(
        mlops=mlops,
        data=data,
        roles=roles,
        categories=categories,
        tools=tools,
        aspects=aspects,
        quiz=quiz,
        version=version,
    )


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
