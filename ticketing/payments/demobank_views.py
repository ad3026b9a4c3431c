"""The demo bank's hosted payment page. It is the bank's site, not Guichet's: no order is read here, and the
card details are checked and forgotten at once (never stored, never logged)."""

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from hub.celery import task

from . import demo_bank_pays, demobank

DECLINED_CARD = "4000000000000002"


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in number][::-1]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


class CardForm(forms.Form):
    holder = forms.CharField(label=_("Name on the card"), max_length=100)
    number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "cc-number"}),
    )
    expiry = forms.CharField(
        label=_("Expiry (MM/YY)"),
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "cc-exp"}),
    )
    cvc = forms.CharField(
        label=_("Security code"),
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "cc-csc"}),
    )

    def clean_number(self):
        number = re.sub(r"[\s-]", "", self.cleaned_data["number"])
        if not (number.isdigit() and 13 <= len(number) <= 19 and luhn_valid(number)):
            raise forms.ValidationError(_("This card number is not valid."))
        return number

    def clean_expiry(self):
        match = re.fullmatch(r"(\d{2})\s*/\s*(\d{2})", self.cleaned_data["expiry"].strip())
        if not match or not 1 <= int(match[1]) <= 12:
            raise forms.ValidationError(_("Enter the expiry date as MM/YY."))
        month, year = int(match[1]), 2000 + int(match[2])
        today = date.today()
        if (year, month) < (today.year, today.month):
            raise forms.ValidationError(_("This card has expired."))
        return f"{month:02d}/{year % 100:02d}"

    def clean_cvc(self):
        cvc = self.cleaned_data["cvc"].strip()
        if not (cvc.isdigit() and len(cvc) in (3, 4)):
            raise forms.ValidationError(_("Enter the 3 or 4 digits on the back of the card."))
        return cvc


@sensitive_post_parameters("number", "expiry", "cvc")
def pay(request, token):
    if not demo_bank_pays():  # decided per request, so the bank's page exists only while it is the provider
        raise Http404
    try:
        session = demobank.read_session(token)
    except signing.BadSignature:
        return render(request, "demobank/expired.html", status=400)
    if request.method == "POST" and "cancel" in request.POST:
        return redirect(session["cancel_url"])
    form = CardForm(request.POST or None)
    declined = False
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["number"] == DECLINED_CARD:
            declined = True
            form = CardForm(initial={"holder": form.cleaned_data["holder"]})  # card details are not kept
        else:
            task("ticketing.demobank_notify").delay(token)
            return redirect(session["return_url"])
    amount, currency = Decimal(session["amount"]), session["currency"]
    context = {"session": session, "form": form, "declined": declined, "amount": amount, "currency": currency}
    return render(request, "demobank/pay.html", context)
