"""Load the help centre from ``content/help_centre.toml`` into Wagtail pages, in every language.

Idempotent: a page is found by its key (or its place for the home and contact pages) and translation key,
and saved only when the file says something new. A page an editor has changed since the last load keeps
the editor's version unless ``force`` is given: the loader remembers a fingerprint of what it wrote.
"""

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from wagtail.models import Locale, Page, Site

from . import freshness
from .models import (
    ContactPage,
    ContentFingerprint,
    HelpArticlePage,
    HelpCategoryPage,
    HelpHomePage,
    RelatedArticle,
)

CONTENT_FILE = Path(__file__).parent / "content" / "help_centre.toml"
LANGUAGES = ("fr", "de", "en")  # the first is the source language of every translation key


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept_editor_changes: list[str] = field(default_factory=list)
    unchanged: int = 0

    def __str__(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, {self.unchanged} unchanged, "
            f"{len(self.kept_editor_changes)} kept with an editor's changes"
            + (f" ({', '.join(self.kept_editor_changes)})" if self.kept_editor_changes else "")
        )


def read_content(path: Path = CONTENT_FILE) -> dict:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def _digest(values: dict) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


class _Loader:
    def __init__(self, force: bool):
        self.force = force
        self.report = LoadReport()
        self.locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}
        self.fresh: set[int] = set()  # pages created by this run, not yet published

    def put(
        self,
        model,
        parent: Page,
        code: str,
        existing: Page | None,
        values: dict,
        label: str,
        source,
        *,
        publish: bool = True,
    ) -> Page:
        """Create the page under ``parent`` or bring ``existing`` up to ``values``; returns the page.

        ``values`` may hold ``related`` (article keys), stored as related-article links.
        """
        fields = {name: value for name, value in values.items() if name != "related"}
        if existing is None:
            existing = model(**fields, locale=self.locales[code])
            if source is not None:
                existing.translation_key = source.translation_key
            parent.add_child(instance=existing)
            self.fresh.add(existing.pk)
            self.report.created.append(label)
        page = existing.specific
        if not publish:
            return page
        current = self.current_values(page, values)
        if page.pk not in self.fresh:
            if current == values:
                self.report.unchanged += 1
                return page
            fingerprint = (
                ContentFingerprint.objects.filter(page=page).values_list("digest", flat=True).first()
            )
            if (fingerprint != _digest(current) or page.has_unpublished_changes) and not self.force:
                self.report.kept_editor_changes.append(label)
                return page
            self.report.updated.append(label)
        for name, value in fields.items():
            setattr(page, name, value)
        if "related" in values:
            articles = HelpArticlePage.objects.filter(
                locale=self.locales[LANGUAGES[0]], key__in=values["related"]
            )
            by_key = {article.key: article for article in articles}
            page.related_links = [
                RelatedArticle(article=by_key[key]) for key in values["related"] if key in by_key
            ]
        page.save_revision().publish()
        self.fresh.discard(page.pk)
        ContentFingerprint.objects.update_or_create(page=page, defaults={"digest": _digest(values)})
        return page

    @staticmethod
    def current_values(page: Page, values: dict) -> dict:
        current = {name: getattr(page, name) for name in values if name != "related"}
        if "related" in values:
            links = page.related_links.select_related("article").order_by("sort_order", "pk")
            current["related"] = [link.article.key for link in links]
        return current

    def load(self, content: dict) -> LoadReport:
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=self.locales[LANGUAGES[0]])
        )
        homes = self.load_translations(
            HelpHomePage,
            lambda code: root,
            lambda code: HelpHomePage.objects.filter(locale=self.locales[code]),
            "home",
            {code: _pick(content["home"][code], "title", "slug", "intro") for code in LANGUAGES},
        )
        _point_site_at(homes[LANGUAGES[0]])
        self.load_translations(
            ContactPage,
            homes.get,
            lambda code: ContactPage.objects.child_of(homes[code]),
            "contact",
            {code: _pick(content["contact"][code], "title", "slug", "intro") for code in LANGUAGES},
        )
        categories = sorted(content["category"], key=lambda item: item["order"])
        parents = {}
        for item in categories:
            parents[item["key"]] = self.load_translations(
                HelpCategoryPage,
                homes.get,
                lambda code, key=item["key"]: HelpCategoryPage.objects.child_of(homes[code]).filter(key=key),
                item["key"],
                {
                    code: {"key": item["key"], **_pick(item[code], "title", "slug", "intro")}
                    for code in LANGUAGES
                },
            )
        articles = sorted(content["article"], key=lambda item: (item["category"], item["order"]))
        for publish in (False, True):  # related links need every article: create them all, then publish
            for item in articles:
                self.load_translations(
                    HelpArticlePage,
                    parents[item["category"]].get,
                    lambda code, key=item["key"]: HelpArticlePage.objects.filter(
                        locale=self.locales[code], key=key
                    ),
                    item["key"],
                    {code: _article_values(item, code) for code in LANGUAGES},
                    publish=publish,
                )
        for code in LANGUAGES:
            _order(HelpCategoryPage.objects.child_of(homes[code]), [item["key"] for item in categories])
            for category in categories:
                keys = [item["key"] for item in articles if item["category"] == category["key"]]
                _order(HelpArticlePage.objects.child_of(parents[category["key"]][code]), keys)
        return self.report

    def load_translations(self, model, parent_of, existing_of, label, values_by_code, *, publish=True):
        pages, source = {}, None
        for code in LANGUAGES:
            existing = existing_of(code).first()
            page = self.put(
                model,
                parent_of(code),
                code,
                existing,
                values_by_code[code],
                f"{label}/{code}",
                source,
                publish=publish,
            )
            pages[code] = page
            source = source or page
        return pages


def _pick(texts: dict, *names: str) -> dict:
    return {name: texts[name] for name in names}


def _article_values(item: dict, code: str) -> dict:
    texts = item[code]
    return {
        "key": item["key"],
        **_pick(texts, "title", "slug", "summary"),
        "answer": texts["answer"].strip(),
        "tags": ", ".join(texts["tags"]),
        "show_contact_card": item.get("contact_card", False),
        "related": list(item.get("related", [])),
    }


def _order(pages, keys: list[str]) -> None:
    """Put the sibling pages named by ``keys`` in that order (others keep their places)."""
    by_key = {page.key: page for page in pages.specific()}
    wanted = [by_key[key] for key in keys if key in by_key]
    if wanted == sorted(wanted, key=lambda page: page.path):
        return
    for previous, page in zip(wanted, wanted[1:], strict=False):
        previous.refresh_from_db()
        page.refresh_from_db()
        page.move(previous, pos="right")


def _point_site_at(home: Page) -> None:
    """The default site serves the help centre's source-language home (its translations follow)."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="Guichet")
        return
    if site.root_page_id == home.pk:
        return
    welcome = site.root_page
    site.root_page = home
    site.save()
    if type(welcome.specific) is Page and welcome.depth == 2 and welcome.is_leaf():
        welcome.delete()  # Wagtail's own "Welcome" placeholder


@transaction.atomic
def load_help_content(*, force: bool = False, path: Path = CONTENT_FILE) -> LoadReport:
    report = _Loader(force).load(read_content(path))
    freshness.content_changed()  # whatever the load changed, readers see it once it is committed
    return report
