"""The read side of the graph: which tables and columns back each node and edge, and the SQL reading them.

`mapping` is the one declarative place saying which column or join backs which field; `reads` turns
it into batched SQL whose statement count does not depend on how many rows a page holds.
"""
