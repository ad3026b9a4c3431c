"""Every interface string exists in French and German, and the committed .mo files match the .po files."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["fr", "de"])
def test_every_string_is_translated(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in {language}: {missing}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("language", ["fr", "de", "en"])
def test_compiled_catalogue_is_up_to_date(language):
    folder = LOCALE / language / "LC_MESSAGES"
    entries = [e for e in polib.pofile(str(folder / "django.po")) if e.translated() and not e.obsolete]
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in entries}
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(folder / "django.mo"))
    }
    compiled.pop((None, ""), None)  # the header
    assert compiled == source, "run `make messages` (or compilemessages) and commit the .mo files"
