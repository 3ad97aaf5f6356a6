"""Habilitations: the rights Maillage grants to an identity within an organisation."""
