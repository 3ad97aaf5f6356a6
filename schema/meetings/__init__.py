"""Governance meetings of a CTG and their decisions."""
