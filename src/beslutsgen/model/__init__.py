"""The domain, as the secretariat speaks of it, and no file format.

In: plain Python values (what load/ read from YAML, already typed by pydantic).
Out: validated, frozen models: an `Arende` (its tjänsteskrivelse), a `Sammantrade` (the
sammanträde: närvaro, §§, justering, anslag), a `Profile` (the organisation's settings,
its `Adressbok` of roles) and the text types every text field is one of. Also the facts
the models are checked against: the bundled fonts (what a PDF can draw) and what a logo
must be.
"""

from beslutsgen.model.adressbok import Adressbok
from beslutsgen.model.anmalan import Delegationsbeslut, Meddelande
from beslutsgen.model.arende import Arende
from beslutsgen.model.profile import Profile
from beslutsgen.model.sammantrade import Finding, Paragraf, Sammantrade

__all__ = [
    "Adressbok",
    "Arende",
    "Delegationsbeslut",
    "Finding",
    "Meddelande",
    "Paragraf",
    "Profile",
    "Sammantrade",
]
