"""The access rules of auth/rules.py, in PostgreSQL's terms and in the application's.

- `keys`: a caller's keys, from its memberships (the SQL function `membership_keys`, and `caller_access`,
  which resolves a caller at the start of every request);
- `grants`: the grant tables' sources, the functions keeping them, and the triggers calling those;
- `conditions`: the conditions each permission stands for, as SQLAlchemy expressions the application adds to
  its queries, and as the SQL text of the row-level security policies;
- `ddl`: everything above as one script, frozen into a migration whenever the rules change.
"""
