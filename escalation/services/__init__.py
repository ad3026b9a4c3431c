"""Every write of the support desk, by concern: requests, escalations, on-call paging and SLA sweeps."""
