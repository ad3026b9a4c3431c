"""Pages (under /fr/, /de/, /en/): public, customer space, seller back office, operator screens."""

from django.urls import path

from .views import box_office, customer, door, emergency, kiosk, marketing, operator, public, seller

app_name = "ticketing"

urlpatterns = [
    path("tariff/", public.tariff, name="tariff"),
    path("events/", public.events_on_sale, name="events_on_sale"),
    path("sell/", public.seller_signup, name="seller_signup"),
    path("sell/confirm/<str:token>/", public.seller_signup_confirm, name="seller_signup_confirm"),
    path("o/<slug:org_slug>/", public.organiser, name="organiser"),
    path("o/<slug:org_slug>/<slug:event_slug>/", public.event_page, name="event"),
    path("o/<slug:org_slug>/<slug:event_slug>/checkout/", public.checkout, name="checkout"),
    path("orders/<str:reference>/<str:token>/", public.order_page, name="order"),
    path("invitations/<str:token>/", public.invitation, name="invitation"),
    path("my-tickets/", customer.space, name="customer"),
    path("my-tickets/sign-in/<str:token>/", customer.sign_in, name="customer_sign_in"),
    path("my-tickets/sign-out/", customer.sign_out, name="customer_sign_out"),
    path("my-tickets/<str:reference>/resend/", customer.resend, name="customer_resend"),
    # kiosk mode: the kiosk's own screen
    path("kiosk/", kiosk.start, name="kiosk"),
    path("kiosk/pair/", kiosk.pair, name="kiosk_pair"),
    path("kiosk/events/<int:pk>/", kiosk.event, name="kiosk_event"),
    path("kiosk/orders/<str:reference>/", kiosk.order, name="kiosk_order"),
    # at the door
    path("scan/", door.app_scanner, name="scanner"),
    path("scan/check/", door.app_scanner_check, name="scanner_check"),
    path("backoffice/events/<int:pk>/entries/", door.scan_on_air, name="scan_on_air"),
    path("backoffice/tickets/<int:ticket_id>/presence/", door.change_presence, name="change_presence"),
    path("backoffice/events/<int:pk>/listing.<str:fmt>", door.listing_download, name="listing"),
    path("backoffice/events/<int:pk>/listings/", seller.event_listings, name="event_listings"),
    path("backoffice/events/<int:pk>/poster/", seller.event_poster, name="event_poster"),
    path("backoffice/devices/", seller.devices, name="devices"),
    path("backoffice/devices/<int:pk>/revoke/", seller.device_revoke, name="device_revoke"),
    # seller back office
    path("backoffice/verification/", seller.verification, name="verification"),
    path("backoffice/organisation/switch/", seller.switch_organisation, name="switch_organisation"),
    path("backoffice/events/", seller.event_list, name="events"),
    path("backoffice/events/new/", seller.event_form, name="event_new"),
    path("backoffice/events/<int:pk>/", seller.event_dashboard, name="event_dashboard"),
    path("backoffice/events/<int:pk>/edit/", seller.event_form, name="event_edit"),
    path("backoffice/events/<int:pk>/publish/", seller.event_publish, name="event_publish"),
    path("backoffice/events/<int:pk>/cancel/", seller.event_cancel, name="event_cancel"),
    path("backoffice/events/<int:pk>/orders/", seller.event_orders, name="event_orders"),
    path("backoffice/events/<int:event_pk>/categories/new/", seller.category_form, name="category_new"),
    path("backoffice/events/<int:event_pk>/categories/<int:pk>/", seller.category_form, name="category_edit"),
    path(
        "backoffice/events/<int:event_pk>/categories/<int:pk>/delete/",
        seller.category_delete,
        name="category_delete",
    ),
    path("backoffice/orders/<str:reference>/", seller.order_detail, name="order_detail"),
    path("backoffice/orders/<str:reference>/refund/", seller.order_refund, name="order_refund"),
    path(
        "backoffice/orders/<str:reference>/tickets/<str:number>/refund/",
        seller.ticket_refund,
        name="ticket_refund",
    ),
    path("backoffice/orders/<str:reference>/resend/", seller.order_resend, name="order_resend"),
    path("backoffice/members/", seller.members, name="members"),
    path("backoffice/members/<int:pk>/remove/", seller.member_remove, name="member_remove"),
    path("backoffice/invitations/<int:pk>/withdraw/", seller.invitation_revoke, name="invitation_revoke"),
    path("backoffice/statements/", seller.statements, name="statements"),
    # box office
    path("backoffice/box-office/", box_office.stations, name="box_office"),
    path("backoffice/box-office/conflicts/", box_office.conflicts, name="box_office_conflicts"),
    path(
        "backoffice/box-office/conflicts/<int:pk>/settle/", box_office.conflict_settle, name="conflict_settle"
    ),
    path("backoffice/box-office/stations/<int:pk>/", box_office.station_detail, name="station"),
    path("backoffice/box-office/stations/<int:pk>/revoke/", box_office.station_revoke, name="station_revoke"),
    path("backoffice/box-office/stations/<int:pk>/open/", box_office.cash_open, name="cash_open"),
    path("backoffice/box-office/stations/<int:pk>/z/<str:day>.xlsx", box_office.z_report_xlsx, name="z_xlsx"),
    path("backoffice/box-office/stations/<int:pk>/z/<str:day>/", box_office.z_report, name="z_report"),
    path("backoffice/box-office/sessions/<int:pk>/close/", box_office.cash_close, name="cash_close"),
    path("backoffice/box-office/sales/<int:pk>/refund/", box_office.sale_refund, name="sale_refund"),
    path("backoffice/marketing/", marketing.tools, name="marketing"),
    path("backoffice/marketing/kiosks/<int:pk>/code/", marketing.kiosk_code, name="kiosk_code"),
    path("backoffice/marketing/kiosks/<int:pk>/revoke/", marketing.kiosk_revoke, name="kiosk_revoke"),
    path("backoffice/emergency-sheet/", emergency.sheet, name="emergency_sheet"),
    path("backoffice/emergency-sheet/contacts/", emergency.contacts, name="emergency_contacts"),
    path("backoffice/emergency-sheet/contacts/<int:pk>/", emergency.contact_edit, name="emergency_contact"),
    path(
        "backoffice/emergency-sheet/contacts/<int:pk>/move/",
        emergency.contact_move,
        name="emergency_contact_move",
    ),
    path(
        "backoffice/emergency-sheet/contacts/<int:pk>/remove/",
        emergency.contact_remove,
        name="emergency_contact_remove",
    ),
    # operators
    path("backoffice/sellers/", operator.seller_list, name="sellers"),
    path("backoffice/sellers/<int:pk>/", operator.seller_detail, name="seller_detail"),
    path("backoffice/sellers/<int:pk>/<str:action>/", operator.seller_action, name="seller_action"),
    path("backoffice/payouts/", operator.payouts, name="payouts"),
    path("backoffice/payouts/export.xlsx", operator.payouts_export, name="payouts_export"),
    path("backoffice/payouts/<int:pk>/<str:action>/", operator.payout_action, name="payout_action"),
]
