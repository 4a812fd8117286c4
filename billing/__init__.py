"""Billing: tariffs, rating of finished calls, charge records and exports."""
