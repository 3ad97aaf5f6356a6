"""Writes of schemes and CTGs: creating and changing them, their objectives, signatories and governance
bodies, their life cycle and their place in the chain, behind the guards every change of a scheme goes
through (`guards`)."""
