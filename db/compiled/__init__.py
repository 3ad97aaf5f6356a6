"""Compiled reads: a whole GraphQL query answered by one SQL statement that builds the response's JSON.

`plan` holds what a query asks for, in the graph mapping's terms; `render` turns it into SQL; `session`
runs it as the caller, through a pool of its own.
"""
