"""The hotline's domain: customers, web accounts, calls, notices, jobs, telephony."""
