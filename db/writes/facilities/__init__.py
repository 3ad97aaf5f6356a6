"""Writes of facilities (équipements): the register kept by the Caf of their department, their contact data also by
their manager, the actions that create, extend or fund them; and funding lines, of actions and facilities."""
