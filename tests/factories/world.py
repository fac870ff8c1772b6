"""The default world of the tests: two roles, their tools, and the current quiz version."""

import datetime
from dataclasses import dataclass

from quizzes.models import Question, Quiz, QuizVersion
from quizzes.selectors import DEFAULT_QUIZ_SLUG
from roles.models import (
    CareerAspect,
    Role,
    Tool,
    ToolCategory,
)
from tests.factories.catalog import (
    AspectTextFactory,
    CareerAspectFactory,
    FocusAreaFactory,
    FocusPointFactory,
    RoleFactory,
    SalaryFigureFactory,
    ToolCategoryFactory,
    ToolFactory,
)
from tests.factories.quizzes import QuizFactory, make_quiz_version

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
