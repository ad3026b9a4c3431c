"""Every write of the ticketing engine (see DESIGN.md: services for writes)."""
