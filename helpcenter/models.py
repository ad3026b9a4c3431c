"""The help centre's pages (Wagtail, one tree per language linked by translation key) and its records.

A category and an article carry a stable ``key`` that is the same in every language: the content file,
the API, the chatbot and the ticket form name articles by it.
"""

import zoneinfo

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

ANSWER_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]


class HelpPage(Page):
    """Behaviour shared by the help centre's page types (not a table of its own)."""

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["help_languages"] = selectors.language_links(self, request)
        context["breadcrumbs"] = list(
            self.get_ancestors().filter(depth__gte=2).specific()
        )  # from the help centre's home down to the parent
        return context

    def get_sitemap_urls(self, request=None):
        """One entry per page, with its translations as ``hreflang`` alternates."""

        def location(page):
            return request.build_absolute_uri(page.get_url(request)) if request else page.get_full_url()

        alternates = [
            {"lang_code": page.locale.language_code, "location": location(page)}
            for page in self.get_translations(inclusive=True).live().public().select_related("locale")
        ]
        return [
            {
                "location": location(self),
                "lastmod": self.last_published_at or self.latest_revision_created_at,
                "alternates": alternates,
            }
        ]


class HelpHomePage(HelpPage):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["helpcenter.HelpCategoryPage", "helpcenter.ContactPage"]
    max_count_per_parent = 3

    class Meta:
        verbose_name = _("help centre home")
        verbose_name_plural = _("help centre homes")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = []
        context["categories"] = selectors.categories_with_articles(self)
        context["contact_page"] = ContactPage.objects.child_of(self).live().first()
        return context


class HelpCategoryPage(HelpPage):
    key = models.SlugField(_("key"), max_length=64, help_text=_("Stable name, the same in every language."))
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    promote_panels = Page.promote_panels + [FieldPanel("key")]
    override_translatable_fields = [SynchronizedField("key")]
    parent_page_types = ["helpcenter.HelpHomePage"]
    subpage_types = ["helpcenter.HelpArticlePage"]

    class Meta:
        verbose_name = _("help category")
        verbose_name_plural = _("help categories")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = HelpArticlePage.objects.child_of(self).live().specific()
        return context


class HelpArticlePage(HelpPage):
    """One question and its answer. The title is the question as a reader asks it."""

    key = models.SlugField(_("key"), max_length=64, help_text=_("Stable name, the same in every language."))
    summary = models.TextField(_("short answer"), help_text=_("One sentence, shown in search results."))
    answer = RichTextField(_("answer"), features=ANSWER_FEATURES)
    tags = models.CharField(
        _("search words"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated words readers search with."),
    )
    show_contact_card = models.BooleanField(
        _("show the contact details"),
        default=False,
        help_text=_("Adds the support phone lines, email and hours from the settings under the answer."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("answer"),
        FieldPanel("tags"),
        FieldPanel("show_contact_card"),
        InlinePanel("related_links", heading=_("Related articles"), label=_("Related article")),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("key")]
    override_translatable_fields = [SynchronizedField("key"), SynchronizedField("show_contact_card")]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("answer"),
        index.SearchField("tags"),
        index.FilterField("key"),
    ]
    parent_page_types = ["helpcenter.HelpCategoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("help article")
        verbose_name_plural = _("help articles")

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    def related_articles(self) -> list["HelpArticlePage"]:
        """Related articles in the reader's language (an untranslated one is left out); two queries."""
        keys = list(
            self.related_links.order_by("sort_order", "pk").values_list("article__translation_key", flat=True)
        )
        found = HelpArticlePage.objects.live().filter(locale_id=self.locale_id, translation_key__in=keys)
        by_key = {article.translation_key: article for article in found}
        return [by_key[key] for key in keys if key in by_key]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related"] = self.related_articles()
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-cache"  # the live page: a signed-in reader's (views.page)
        return response


class RelatedArticle(Orderable):
    page = ParentalKey(HelpArticlePage, on_delete=models.CASCADE, related_name="related_links")
    article = models.ForeignKey(
        HelpArticlePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )

    panels = [PageChooserPanel("article", "helpcenter.HelpArticlePage")]


class ContactPage(HelpPage):
    """Reads the contact data from :class:`SupportSettings`; the page itself holds only an introduction."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["helpcenter.HelpHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("contact page")
        verbose_name_plural = _("contact pages")


HELP_PAGE_TYPES = (HelpHomePage, HelpCategoryPage, HelpArticlePage, ContactPage)


# --- Contact data (C1, C3): configuration that pages, articles and the chatbot read -----------------


@register_setting(icon="mail")
class SupportSettings(ClusterableModel, BaseGenericSetting):
    support_email = models.EmailField(_("support email"), blank=True)
    weekday_opens = models.TimeField(_("weekdays: opens at"), default="09:00")
    weekday_closes = models.TimeField(_("weekdays: closes at"), default="18:00")
    time_zone = models.CharField(_("time zone of the hours"), max_length=64, default="Europe/Paris")
    weekend_emergency_phone = models.BooleanField(
        _("weekend emergencies by phone"),
        default=True,
        help_text=_("At weekends the phone lines take emergencies only; email waits until Monday."),
    )

    panels = [
        FieldPanel("support_email"),
        InlinePanel("phone_lines", heading=_("Phone lines"), label=_("Phone line")),
        MultiFieldPanel(
            [
                FieldPanel("weekday_opens"),
                FieldPanel("weekday_closes"),
                FieldPanel("time_zone"),
                FieldPanel("weekend_emergency_phone"),
            ],
            heading=_("Hours"),
        ),
    ]

    class Meta:
        verbose_name = _("support contact")

    def clean(self):
        super().clean()
        if self.weekday_opens and self.weekday_closes and self.weekday_opens >= self.weekday_closes:
            raise ValidationError({"weekday_closes": _("The closing time must be after the opening time.")})
        if self.time_zone not in zoneinfo.available_timezones():
            raise ValidationError(
                {"time_zone": _("Enter a time zone such as Europe/Paris or Europe/Zurich.")}
            )


class SupportPhoneLine(Orderable):
    settings = ParentalKey(SupportSettings, on_delete=models.CASCADE, related_name="phone_lines")
    country = models.CharField(
        _("country code"), max_length=2, help_text=_("Two letters, e.g. BE, CH, FR, UK.")
    )
    number = models.CharField(
        _("number"), max_length=20, help_text=_("International format, e.g. +32 2 808 29 56.")
    )

    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("The line's own time zone, e.g. Europe/Zurich; empty: the hours' time zone."),
    )

    panels = [FieldPanel("country"), FieldPanel("number"), FieldPanel("time_zone")]

    class Meta(Orderable.Meta):
        verbose_name = _("phone line")
        verbose_name_plural = _("phone lines")

    def clean(self):
        super().clean()
        self.country = self.country.strip().upper()
        if self.country not in phonenumbers.SUPPORTED_REGIONS and self.country != "UK":
            raise ValidationError(
                {"country": _("Enter a country code of two letters, e.g. BE, CH, FR or UK.")}
            )
        try:
            parsed = phonenumbers.parse(self.number, None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed):
            raise ValidationError({"number": _("Enter a valid phone number in international format (+…).")})
        self.number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        self.time_zone = self.time_zone.strip()
        if self.time_zone and self.time_zone not in zoneinfo.available_timezones():
            raise ValidationError(
                {"time_zone": _("Enter a time zone such as Europe/Paris or Europe/Zurich.")}
            )

    @property
    def tel(self) -> str:
        return "tel:" + "".join(c for c in self.number if c.isdigit() or c == "+")


# --- Readers' signals ------------------------------------------------------------------------------


class ArticleFeedback(models.Model):
    """One "was this helpful?" vote; anonymous, so only the answer and the time are kept."""

    article = models.ForeignKey(HelpArticlePage, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")

    def __str__(self):
        return f"{self.article_id}: {'yes' if self.helpful else 'no'}"


class ContentFingerprint(models.Model):
    """What ``load_help_content`` last wrote into a page, so a later load can tell an editor's change."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)

    def __str__(self):
        return f"{self.page_id}: {self.digest[:12]}"


class UnansweredSearch(models.Model):
    """A search that found nothing, counted per language: the editors' content-gap report."""

    language = models.CharField(max_length=8)
    query = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=1)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        constraints = [models.UniqueConstraint(fields=["language", "query"], name="unanswered_search_unique")]

    def __str__(self):
        return f"[{self.language}] {self.query}"
