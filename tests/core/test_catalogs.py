"""The message catalogs are complete: every message of every language is translated and none
is fuzzy, and `makemessages` finds no marked string that the catalogs lack."""

import json
import re
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


# The Spanish style guide (docs/spanish-style.md), as far as a pattern can tell --------------

SPANISH = _catalog_path("es")
# The formal "usted" forms: the pronoun, the imperatives Django's Spanish uses on forms
# (with its typo "Introduza"), and "su" on the reader's own things.
FORMAL = re.compile(
    r"\busted(es)?\b"
    r"|\b(introduzca|introduza|ingrese|seleccione|escoja|asegúrese|verifique|observe|corrija"
    r"|envíe|vuelva a introducirla|inténtelo|compruebe|elija|escriba|pulse)\b"
    r"|\bsus? (contraseña|contraseñas|cuenta|nombre de usuario|correo|navegador|perfil)\b",
    re.IGNORECASE,
)
# A percentage with its sign stuck to it ("49%", "%(percent)s%%"): Spanish writes "49 %".
PERCENT_STUCK = re.compile(r"(\d|%\(\w+\)[sd])%")


# Quotation marks: Spanish «angulares» only, never “English” or "straight" ones around words
# (a straight quote after "=" is an HTML attribute's).
OTHER_QUOTES = re.compile(r'[“”]|(?:^|(?<=\s))"(?=\w)')


class _FixtureText:
    """A Spanish text of the editorial content (fixtures/*.json), labelled like an entry."""

    def __init__(self, path: Path, model: str, field: str):
        self.msgid = f"{model}.{field}"
        self.occurrences = [(path.name, 0)]


def _spanish_texts():
    """Every Spanish text people read: the catalog's and the editorial content's."""
    for entry in polib.pofile(str(SPANISH)):
        for text in (entry.msgstr, *entry.msgstr_plural.values()):
            if text:
                yield entry, text
    for path in sorted((ROOT / "fixtures").glob("*.json")):
        for item in json.loads(path.read_text()):
            for field, value in item["fields"].items():
                if field.endswith("_es") and isinstance(value, str) and value:
                    yield _FixtureText(path, item["model"], field), value


def test_spanish_says_tu_never_usted():
    formal = [
        f"{_label(entry)}: {text!r}" for entry, text in _spanish_texts() if FORMAL.search(text)
    ]

    assert not formal, "formal forms (docs/spanish-style.md says tú):\n" + "\n".join(formal)


def test_spanish_writes_a_space_before_the_percent_sign():
    stuck = [
        f"{_label(entry)}: {text!r}"
        for entry, text in _spanish_texts()
        if PERCENT_STUCK.search(text)
    ]

    assert not stuck, "write 49 % (a no-break space), not 49%:\n" + "\n".join(stuck)


def test_spanish_quotes_with_angle_quotes():
    other = [
        f"{_label(entry)}: {text!r}"
        for entry, text in _spanish_texts()
        if OTHER_QUOTES.search(text)
    ]

    assert not other, "quote with «» in Spanish:\n" + "\n".join(other)


def test_the_patterns_catch_what_they_are_for():
    # Django's own Spanish, which our catalog overrides, trips both.
    assert FORMAL.search("Por favor, introduzca un nombre de usuario y clave correctos.")
    assert FORMAL.search("Su contraseña antigua es incorrecta.")
    assert FORMAL.search("Introduza un nombre de usuario válido.")
    assert not FORMAL.search("Escribe tu contraseña; cada persona cuenta con su último resultado.")
    assert PERCENT_STUCK.search("Afinidad: %(percent)s%%.") and PERCENT_STUCK.search("es 70%")
    assert not PERCENT_STUCK.search("Afinidad: %(percent)s\u00a0%%.")
    assert OTHER_QUOTES.search("usa “Compartir”") and OTHER_QUOTES.search('del tipo "pero"')
    assert not OTHER_QUOTES.search('usa «Compartir» <a href="/x">aquí</a>')


def test_django_s_formal_messages_are_overridden_with_messages_django_still_has():
    """Every message careerguide/accounts/django_messages.py lists is one of Django's (a renamed
    one would silently bring Django's formal text back) and is translated in our catalog."""
    import ast

    import django

    django_catalogs = [
        polib.pofile(str(Path(django.__file__).parent / part / "locale/es/LC_MESSAGES/django.po"))
        for part in ("conf", "contrib/auth")
    ]
    known = {entry.msgid for catalog in django_catalogs for entry in catalog}
    ours = {entry.msgid: entry for entry in polib.pofile(str(SPANISH))}
    module = ROOT / "careerguide" / "accounts" / "django_messages.py"
    listed = [
        node.args[0].value
        for node in ast.walk(ast.parse(module.read_text()))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in MARKERS
    ]
    assert len(listed) > 25
    assert not [message for message in listed if message not in known]
    assert all(
        ours[message].msgstr or any(ours[message].msgstr_plural.values()) for message in listed
    )


MARKERS = ("gettext_noop", "ngettext_lazy")
