"""Bolus calculation service of the Bolus Advisor (software item cloud-service)."""

__version__ = "1.0.0"
