"""Regions, departments, EPCIs and communes."""
