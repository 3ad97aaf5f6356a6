"""Indicator reporting campaigns."""
