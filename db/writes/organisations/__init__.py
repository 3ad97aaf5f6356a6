"""Writes of organisations and of the habilitations held in them."""
