"""Facilities (équipements) and funding lines."""
