"""The message catalogs are complete: every message of every language is translated and none
is fuzzy, and `makemessages` finds no marked string that the catalogs lack."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# What makemessages reads: the code and the templates (the Makefile's MAKEMESSAGES_ARGS
# leaves out the rest).
SOURCES = [
    "careerguide",
    "core",
    "roles",
    "quizzes",
    "assessments",
    "plans",
    "templates",
    "manage.py",
]


def _catalog_path(language: str) -> Path:
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


def _label(entry) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
    return f"{entry.msgid!r} ({where})"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalog = polib.pofile(str(_catalog_path(language)))

    untranslated = [_label(entry) for entry in catalog.untranslated_entries()]
    fuzzy = [_label(entry) for entry in catalog.fuzzy_entries()]
    empty_plurals = [
        _label(entry)
        for entry in catalog
        if entry.msgid_plural and not all(entry.msgstr_plural.values())
    ]

    assert not untranslated, f"{len(untranslated)} not translated: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy (check and unmark them): {fuzzy[:20]}"
    assert not empty_plurals, f"plural forms missing: {empty_plurals[:20]}"
    assert len(catalog) > 300  # the whole interface, not a handful of strings


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_placeholders_are_kept_in_every_translation(language):
    # msgfmt --check-format (make install) refuses a catalog whose placeholders differ;
    # this says which message it is.
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(_catalog_path(language))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_makemessages_would_add_no_message(language, tmp_path):
    """A string marked in the code or a template but missing from the catalog fails here
    (`make messages` adds it; then translate it)."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
            )
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copytree(ROOT / "fixtures", tmp_path / "fixtures")

    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            language,
            "--no-obsolete",
            "--ignore=tests",
            "--verbosity=0",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "careerguide.settings.base"},
    )

    def keys(path: Path) -> set[tuple[str | None, str]]:
        return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path))}

    ours, extracted = (
        keys(_catalog_path(language)),
        keys(tmp_path / _catalog_path(language).relative_to(ROOT)),
    )
    added = sorted(extracted - ours, key=str)
    gone = sorted(ours - extracted, key=str)
    assert not added, f"marked but not in the catalog (run `make messages`): {added[:20]}"
    assert not gone, f"in the catalog but no longer used (run `make messages`): {gone[:20]}"
