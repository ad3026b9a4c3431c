"""The set-up migrations keep what an installation already has: groups get slugs from their French
names, descriptions become the French ones, unconfirmed subscribers become requests their links confirm."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("statuspage", "0001_initial")]
AFTER = [("statuspage", "0004_descriptions_per_language_and_retirement")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_groups_descriptions_and_waiting_subscribers_survive_the_migrations():
    old = migrate(BEFORE)
    Group, Component = old.get_model("statuspage", "ComponentGroup"), old.get_model("statuspage", "Component")
    Subscriber = old.get_model("statuspage", "Subscriber")
    venue = Group.objects.create(name_fr="Sur place", name_de="Vor Ort")
    Group.objects.create(name_fr="Sur  place !")
    Group.objects.create(name_fr="Ventes & paiements")
    Component.objects.create(slug="pos", name_fr="Caisse", group=venue, description="Les caisses du site")
    waiting = Subscriber.objects.create(channel="email", address="alice@example.org", language="de")
    waiting.components.set(Component.objects.all())
    Subscriber.objects.create(channel="email", address="bob@example.org", confirmed_at="2026-01-01T00:00Z")
    try:
        new = migrate(AFTER)
        groups = new.get_model("statuspage", "ComponentGroup").objects.order_by("pk")
        assert [g.slug for g in groups] == ["sur-place", "sur-place-2", "ventes-paiements"]
        component = new.get_model("statuspage", "Component").objects.get()
        assert (component.description_fr, component.description_de, component.retired_at) == (
            "Les caisses du site",
            "",
            None,
        )
        request = new.get_model("statuspage", "SubscriptionRequest").objects.get()
        assert (request.address, request.language, request.token) == (
            "alice@example.org",
            "de",
            waiting.token,
        )
        assert [c.slug for c in request.components.all()] == ["pos"]
        subscribers = new.get_model("statuspage", "Subscriber").objects.all()
        assert [s.address for s in subscribers] == ["bob@example.org"]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
