import pytest

from helpcenter import suggest


@pytest.fixture(autouse=True)
def fresh_suggestion_index():
    """A test's changes are rolled back behind the index's back: start every test from the database."""
    suggest.content_changed()
    yield
    suggest.content_changed()
