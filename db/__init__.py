"""Maillage's PostgreSQL layer: tables, engine, migrations, repositories, reference and demo data.

All SQL lives under this package. It never imports `schema` or `server`.
"""
