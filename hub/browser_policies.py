"""The browser security policies every page is served with (hub.security_headers applies them); plain
constants, so they live outside hub/settings.py, which imports them."""

from csp.constants import NONE, SELF, UNSAFE_INLINE

# Content-Security-Policy (django-csp 4): no inline script, handler or style anywhere; JavaScript comes from
# static/js/ and data from data-* attributes or json_script. The payment provider's hosted page is added to
# form-action (PAYMENT_PAGE_ORIGINS).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Wagtail's editor (/cms/) alone: its page editor and settings forms run inline <script> blocks (inline
# and multiple-chooser panels, date widgets) and add <style> elements, and it frames its page previews
# (these keep the strict policy otherwise: hub.security_headers).
CMS_CONTENT_SECURITY_POLICY = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "frame-ancestors": [SELF],
}
# Permissions-Policy: every page gets these features denied; views marked with
# hub.security_headers.allow_camera (the App-Scanner) get camera=(self).
PERMISSIONS_POLICY_DENIED = [
    "accelerometer",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
]
