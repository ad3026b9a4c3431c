import pytest

from helpcenter import suggest
from helpcenter.content import load_help_content


@pytest.fixture(scope="session")
def help_content(django_db_setup, django_db_blocker):
    """The whole help centre, loaded once per session (each test rolls its own changes back)."""
    with django_db_blocker.unblock():
        load_help_content()


@pytest.fixture(autouse=True)
def fresh_suggestion_index():
    """A test's changes are rolled back behind the index's back: start every test from the database."""
    suggest.content_changed()
    yield
    suggest.content_changed()
