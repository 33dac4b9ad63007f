"""The address book: which people or mailboxes a role on an utdrag-till list stands for.

Roles ("Regionstabschef", "HR-direktör") are what cases and meetings name; the profile
maps each role to recipients — a person or a functional mailbox by e-mail, or a postal
address for paper. `check_address` keeps the form of an e-mail address honest without
asking any server (validation runs offline).
"""

from __future__ import annotations

import re
import ssl
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from beslutsgen.model.arende import Strict
from beslutsgen.model.text import PlainText, clean_plain

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_LABEL = re.compile(r"^[^\W_](?:[\w-]{0,61}[^\W_])?$")


def check_address(value: str) -> str:
    """name@domain.tld, checked for form: one @, a plain local part, a domain of labels."""
    address = clean_plain(value)
    local, at, domain = address.rpartition("@")
    if not at or not local:
        raise ValueError(f"ogiltig e-postadress {address!r}: skriv namn@domän.se")
    if "@" in local:
        raise ValueError(f"ogiltig e-postadress {address!r}: mer än ett @")
    if len(local) > 64 or not _LOCAL.match(local):
        raise ValueError(
            f"ogiltig e-postadress {address!r}: före @ bara bokstäver a–z, siffror och . _ - +"
        )
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise ValueError(f"ogiltig e-postadress {address!r}: punkt först, sist eller dubbel före @")
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ValueError(f"ogiltig e-postadress {address!r}: domänen {domain!r} är inte giltig")
    if not labels[-1].isalpha() or len(labels[-1]) < 2:
        raise ValueError(f"ogiltig e-postadress {address!r}: toppdomänen {labels[-1]!r} saknas")
    return address


Epost = Annotated[str, AfterValidator(check_address)]


class Mottagare(Strict):
    """One recipient of utdrag: by e-mail (a person or a functional mailbox) or by post."""

    namn: PlainText = Field(description="Namn, t.ex. Mikael Ferm eller HR-funktionen.")
    epost: Epost | None = Field(default=None, description="E-postadress.")
    post: PlainText | None = Field(
        default=None,
        description="Postadress för utdrag på papper, t.ex. Box 654, 831 27 Östersund "
        "(i stället för epost).",
    )

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        if (self.epost is None) == (self.post is None):
            raise ValueError("ange antingen epost eller post (papper), inte båda eller ingen")
        return self

    @property
    def key(self) -> str:
        """Who this is in the send log: the address, casefolded."""
        return (self.epost or f"post:{self.namn}|{self.post}").casefold()


Adressbok = dict[PlainText, list[Mottagare]]


class Avsandare(Strict):
    """Who the messages come from."""

    namn: PlainText = Field(description="Avsändarens namn, t.ex. Sekretariatet Regionstyrelsen.")
    epost: Epost = Field(description="Avsändarens e-postadress.")


TlsMode = Literal["starttls", "smtps", "ingen"]
DEFAULT_PORTS: dict[TlsMode, int] = {"starttls": 587, "smtps": 465, "ingen": 587}


class Smtp(Strict):
    """The organisation's mail server. User name and password are never written here: they
    come from the environment variables BESLUTSGEN_SMTP_USER and BESLUTSGEN_SMTP_PASSWORD."""

    vard: PlainText = Field(alias="värd", description="Serverns namn, t.ex. smtp.region.se.")
    port: int | None = Field(
        default=None, ge=1, le=65535, description="Port; utan den 587 (465 med tls: smtps)."
    )
    tls: TlsMode | None = Field(
        default=None,
        description="Kryptering: starttls (standard, port 587), smtps (TLS från början, port "
        "465) eller ingen (bara för ett lokalt relä). Certifikat och värdnamn kontrolleras "
        "alltid.",
    )
    starttls: bool | None = Field(
        default=None,
        description="Äldre sätt att skriva tls: true är tls: starttls, false är tls: ingen.",
    )
    ca_fil: PlainText | None = Field(
        default=None,
        description="CA-certifikat (PEM eller DER) som servercertifikatet får leda till, "
        "utöver systemets, t.ex. för ett internt relä; sökväg relativt projektets rot.",
    )

    @field_validator("ca_fil")
    @classmethod
    def _ca_file(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Resolved against the project root; must hold at least one certificate."""
        if value is None:
            return None
        path = (Path((info.context or {}).get("base_dir", ".")) / value).resolve()
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ValueError(f"CA-filen {value!r} finns inte (sökt som {path})") from None
        except OSError as exc:
            raise ValueError(f"CA-filen {value!r} kan inte läsas ({exc.strerror})") from None
        try:
            load_certificates(ssl.create_default_context(), data)
        except (ssl.SSLError, ValueError):
            raise ValueError(
                f"CA-filen {value!r} innehåller inget certifikat i PEM eller DER"
            ) from None
        return str(path)

    @model_validator(mode="after")
    def _one_mode(self) -> Self:
        if self.tls is not None and self.starttls is not None:
            raise ValueError(
                "skriv tls eller starttls, inte båda (starttls: true är tls: starttls, "
                "starttls: false är tls: ingen)"
            )
        return self

    @property
    def mode(self) -> TlsMode:
        """tls as written, else what the older starttls says; STARTTLS when neither is."""
        if self.tls is not None:
            return self.tls
        return "ingen" if self.starttls is False else "starttls"

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.mode]


def load_certificates(context: ssl.SSLContext, data: bytes) -> None:
    """Trust the certificates in `data` (PEM, one or more, or one DER) in `context`, beside
    the system's; ssl.SSLError when it holds none."""
    if data.lstrip().startswith(b"-----BEGIN"):
        context.load_verify_locations(cadata=data.decode("ascii"))
    else:
        context.load_verify_locations(cadata=data)


class Expediering(Strict):
    """How decisions are sent: sender and mail server."""

    avsandare: Avsandare = Field(alias="avsändare", description="Avsändare.")
    smtp: Smtp | None = Field(
        default=None, description="E-postserver; utan den går bara --dry-run."
    )
