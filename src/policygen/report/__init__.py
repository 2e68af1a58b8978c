"""Lint reports: Swedish text for people, JSON for machines."""
