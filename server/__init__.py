"""Maillage's ASGI service: settings, app factory, routes and the command line."""
