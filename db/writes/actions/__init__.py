"""Writes of actions: creating them, changing them and their workflow, their partners, the objectives they
serve, their indicators and the values reported."""
