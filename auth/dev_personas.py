"""The people the development issuer mints tokens for: one per kind of caller, in the demo's organisations.

Their organisations are the demo's own refs, so a persona's token names an organisation that the demo
database holds. Names and e-mail addresses are invented and use the reserved `.example` domain.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.demo import organisations as demo
from db.models.enums import Role


@dataclass(frozen=True)
class Persona:
    name: str  # what `maillage dev-token NAME` takes
    description: str
    subject: str  # stable across runs, as an issuer's `sub` is
    full_name: str
    email: str
    roles: tuple[Role, ...]
    organisation: str  # the organisation's ref
    caf_department: str | None = None  # for Caf staff: the department of their Caf


PERSONAS: tuple[Persona, ...] = (
    Persona(
        name="association-member",
        description="staff of Parents ensemble 31, an association carrying actions in three Haute-Garonne CTGs",
        subject="dev-association-member",
        full_name="Camille Roux",
        email="camille.roux@parents-ensemble-31.example",
        roles=(Role.ASSOCIATION_MEMBER,),
        organisation=demo.PARENTS_ENSEMBLE,
    ),
    Persona(
        name="epci-coordinator",
        description="CTG coordinator at Toulouse Métropole (the coordinator the demo CTG names)",
        subject="dev-epci-coordinator",
        full_name="Claire Fabre",
        email="claire.fabre@toulouse-metropole.example",
        roles=(Role.LOCAL_AUTHORITY_STAFF,),
        organisation=demo.TOULOUSE_METROPOLE.ref,
    ),
    Persona(
        name="caf-31-agent",
        description="agent of the Caf de la Haute-Garonne",
        subject="dev-caf-31-agent",
        full_name="Julien Garcia",
        email="julien.garcia@caf31.example",
        roles=(Role.CAF_AGENT,),
        organisation=demo.CAF_31,
        caf_department="31",
    ),
    Persona(
        name="caf-44-manager",
        description="manager at the Caf de la Loire-Atlantique",
        subject="dev-caf-44-manager",
        full_name="Nathalie Le Goff",
        email="nathalie.legoff@caf44.example",
        roles=(Role.CAF_MANAGER,),
        organisation=demo.CAF_44,
        caf_department="44",
    ),
    Persona(
        name="cnaf-analyst",
        description="national analyst at the Cnaf",
        subject="dev-cnaf-analyst",
        full_name="Thomas Bernard",
        email="thomas.bernard@cnaf.example",
        roles=(Role.CNAF_ANALYST,),
        organisation=demo.CNAF,
    ),
    Persona(
        name="council-44-member",
        description="staff of the Conseil départemental de Loire-Atlantique, cosignatory of the 44 schemes",
        subject="dev-council-44-member",
        full_name="Sophie Guérin",
        email="sophie.guerin@loire-atlantique.example",
        roles=(Role.COSIGNATORY,),
        organisation=demo.DEPARTMENT_44,
    ),
    Persona(
        name="cnaf-manager",
        description="manager at the Cnaf: national schemes, CPOGs and the organisations register",
        subject="dev-cnaf-manager",
        full_name="Hélène Moreau",
        email="helene.moreau@cnaf.example",
        roles=(Role.CNAF_MANAGER,),
        organisation=demo.CNAF,
    ),
    Persona(
        name="association-admin",
        description="administrator of Parents ensemble 31: its contact data and its people's habilitations",
        subject="dev-association-admin",
        full_name="Karim Benali",
        email="karim.benali@parents-ensemble-31.example",
        roles=(Role.ASSOCIATION_MEMBER, Role.ORGANISATION_ADMIN),
        organisation=demo.PARENTS_ENSEMBLE,
    ),
)

BY_NAME: dict[str, Persona] = {persona.name: persona for persona in PERSONAS}
