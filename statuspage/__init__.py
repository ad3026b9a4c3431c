"""statuspage: see DESIGN.md; its contract for the apps above is services, selectors and signals."""

from hub.standalone import ensure_setup

ensure_setup()
