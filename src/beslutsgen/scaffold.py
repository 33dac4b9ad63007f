"""`beslutsgen init`: a new project for one organisation, complete and valid as written.

The profile, one example case and one example meeting in the organisation's own words
(its organs, its head of administration), the JSON Schemas bound to the YAML files for
VS Code, templates/ with the bundled reference.docx to restyle, and a .gitignore. Every
file is checked first: one already there means nothing is written at all.
"""

from __future__ import annotations

import contextlib
import json
import shlex
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from beslutsgen.errors import OutputError, UsageError, relative
from beslutsgen.load.schema import MODELS, Wording, json_schema_text, scalar, wording
from beslutsgen.model.profile import PROFILE_NAME, Profile
from beslutsgen.output import write_atomic
from beslutsgen.render.docx import BUNDLED_REFERENCE

__all__ = ["Example", "Initialised", "init", "next_commands", "project_files"]

CASE_NUMBER = 15  # not 1: `beslutsgen new arende` suggests …/1/2026
MEETING_DATE = "2026-01-27"  # a Tuesday; justering the Monday after, anslag the next day
SCHEMA_GLOBS = {
    "arende": [
        "decisions/*.yaml",
        "!decisions/*-sammantrade.yaml",
        "!decisions/*-delegationsbeslut.yaml",
    ],
    "sammantrade": ["decisions/*-sammantrade.yaml"],
    "profil": [PROFILE_NAME],
    "delegationsbeslut": ["decisions/*-delegationsbeslut.yaml"],
}
GITIGNORE = """\
# Det beslutsgen skriver: dokumenten och loggarna (SQLite) över renderingar och expediering.
output/
renderingar.sqlite*
expediering.sqlite*
"""


@dataclass(frozen=True)
class Example:
    """What the example files are called and say, for one organisation."""

    organisation: str
    words: Wording
    domain: str

    @property
    def dnr(self) -> str:
        return f"{self.words.prefix}/{CASE_NUMBER}/2026"

    @property
    def case_file(self) -> str:
        return f"decisions/{self.words.prefix.lower()}-{CASE_NUMBER}-2026.yaml"

    @property
    def meeting_file(self) -> str:
        return f"decisions/{self.words.prefix.lower()}-{MEETING_DATE}-sammantrade.yaml"

    def mail(self, local: str) -> str:
        return f"{local}@{self.domain}.example"


@dataclass(frozen=True)
class Initialised:
    """The files init wrote (in the order written) and the example meeting among them."""

    files: tuple[Path, ...]
    meeting: Path


def example_for(organisation: str) -> Example:
    """The organisation's words, and a made-up mail domain from its name (.example)."""
    ascii_name = unicodedata.normalize("NFKD", organisation).encode("ascii", "ignore").decode()
    slug = "".join(c if c.isalnum() else "-" for c in ascii_name.lower())
    domain = "-".join(part for part in slug.split("-") if part)[:40].strip("-")
    return Example(organisation, wording(organisation), domain or "organisationen")


def project_files(organisation: str) -> dict[str, bytes]:
    """Every file of a new project, by its path in the project (always with /)."""
    example = example_for(organisation)
    files = {
        PROFILE_NAME: _profile(example),
        example.case_file: _case(example),
        example.meeting_file: _meeting(example),
        "templates/README.md": _templates_readme(),
        ".gitignore": GITIGNORE,
        ".vscode/settings.json": vscode_settings(),
    }
    encoded = {path: text.encode("utf-8") for path, text in files.items()}
    for kind in MODELS:
        encoded[f"schema/{kind}.schema.json"] = json_schema_text(kind).encode("utf-8")
    encoded["templates/reference.docx"] = BUNDLED_REFERENCE.read_bytes()
    return encoded


def vscode_settings() -> str:
    """VS Code's YAML extension: which schema checks and completes which file."""
    schemas = {f"schema/{kind}.schema.json": globs for kind, globs in SCHEMA_GLOBS.items()}
    return json.dumps({"yaml.schemas": schemas}, ensure_ascii=False, indent=2) + "\n"


def init(target: Path, organisation: str, cwd: Path) -> Initialised:
    """Write a new project into `target` (made if missing; may be an empty folder). Raises
    UsageError, writing nothing, when any file it would write is already there."""
    _check_organisation(organisation)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{relative(target, cwd)} är en fil, inte en mapp; välj en ny mapp")
    files = project_files(organisation)
    obstacles = _obstacles(target, list(files))
    if obstacles:
        shown = relative(target, cwd)
        listed = "".join(f"\n  {relative(target / path, cwd)}" for path in obstacles)
        raise UsageError(
            f"{len(obstacles)} fil(er) finns redan i {shown} och skrivs inte över; inget "
            f"skrevs:{listed}\nvälj en ny eller tom mapp, eller flytta filerna"
        )
    written = _write_all(target, files)
    return Initialised(tuple(written), target / example_for(organisation).meeting_file)


def _check_organisation(organisation: str) -> None:
    """The name as the profile takes it (one line, not too long, no direction marks)."""
    try:
        Profile.model_validate({"organisation": organisation})
    except ValidationError as exc:
        message = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise UsageError(f"--organisation: {message}") from exc
    if not organisation.strip():
        raise UsageError("--organisation: skriv organisationens namn, t.ex. Tyresö kommun")


def _obstacles(target: Path, paths: list[str]) -> list[str]:
    """Each path (or a folder on its way that is a file) already in `target`, in order."""
    found: list[str] = []
    for path in paths:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            here = "/".join(parts[:depth])
            place = target / here
            last = depth == len(parts)
            in_the_way = place.is_symlink() or (place.exists() and (last or not place.is_dir()))
            if in_the_way:
                if here not in found:
                    found.append(here)
                break
    return found


def _write_all(target: Path, files: dict[str, bytes]) -> list[Path]:
    """Every file or none: on a failure, what this run wrote (and made) is removed."""
    made = [p for p in (target, *target.parents) if not p.exists()][::-1]
    written: list[Path] = []
    try:
        for path, data in files.items():
            destination = target / path
            for folder in reversed(destination.parents):
                if not folder.exists():
                    made.append(folder)
            write_atomic(destination, data)
            written.append(destination)
    except OutputError:
        for done in written:
            done.unlink(missing_ok=True)
        for folder in reversed(dict.fromkeys(made)):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty: never what was there before
        raise
    return written


def next_commands(done: Initialised, cwd: Path) -> list[str]:
    """What to run next, as `make demo` does it for the sample project."""
    root = done.meeting.parent.parent
    meeting = done.meeting.relative_to(root).as_posix()
    return [
        f"cd {shlex.quote(relative(root, cwd))}",
        "beslutsgen validate",
        "beslutsgen render",
        f"beslutsgen meeting {meeting}",
        f"beslutsgen distribute {meeting} --dry-run",
    ]


def _profile(example: Example) -> str:
    words = example.words
    organs = "".join(f"  {scalar(name)}: {{ledamöter: {n}}}\n" for name, n in words.organs)
    secretariat = f"Sekretariatet {words.styrelse}"
    return f"""\
# yaml-language-server: $schema=schema/profil.schema.json
# Organisationsprofil: gäller alla ärenden och sammanträden i decisions/. Ett ärende kan
# ersätta i_tjänsten och enskilda värden under stil. Namn och adresser här är
# platshållare (domänen .example finns inte): byt ut dem mot era egna.
organisation: {scalar(example.organisation)}
# Organisationsnumret anger arkivbildaren i arkivpaket (krävs för beslutsgen archive):
# organisationsnummer: 212000-0000

# Standardundertecknare under "I tjänsten" (namn över titel).
i_tjänsten:
  - namn: Förnamn Efternamn
    titel: {words.chef}

# Organen och antalet ledamöter (ordinarie platser) i varje: ett sammanträde är
# beslutfört när fler än hälften tjänstgör (KL 6 kap. 35 §). Skriv era egna antal.
organ:
{organs}
# Dit överklaganden går: förvaltningsrätten (laglighetsprövning) och postadressen
# (förvaltningsbesvär). Texten om förhinder står i kallelsen.
# förvaltningsrätt: Förvaltningsrätten i Ort
# postadress: Box 0, 000 00 Ort
förhinder: Förhinder anmäls till sekretariatet så att en ersättare kan kallas.

# Var justerade protokoll förvaras (står i anslagsbeviset).
förvaringsplats: {words.hus}, Kansliet

# Husstil. Utan värden gäller standard: medföljande typsnitt, 11 pt, "Utdrag till"
# uppräknat med "och" före sista ledet. Formatmallarna i Word: templates/reference.docx.
stil:
  uppräkning: och
  # typsnitt: Source Sans Pro
  # storlek: 11
  # logotyp: logo.png          # PNG eller JPEG, sökväg relativt projektet

# Expediering (beslutsgen distribute): avsändare och e-postserver. Inloggningen läses
# bara från miljövariablerna BESLUTSGEN_SMTP_USER och BESLUTSGEN_SMTP_PASSWORD.
expediering:
  avsändare: {{namn: {secretariat}, epost: {example.mail("sekretariatet")}}}
  smtp: {{värd: smtp.{example.domain}.example, port: 587}}

# Adressboken: varje roll i utdrag_till och expedieras_till → mottagare med e-post,
# en funktionsbrevlåda, eller en postadress för utdrag på papper.
adressbok:
  {words.chef}:
    - {{namn: Förnamn Efternamn, epost: {example.mail("fornamn.efternamn")}}}
  Ekonomichef:
    - {{namn: Förnamn Efternamn, epost: {example.mail("ekonomichef")}}}
    - {{namn: Ekonomienheten, epost: {example.mail("ekonomi")}}}
  Registrator:
    - {{namn: Registraturen, epost: {example.mail("registrator")}}}
  Revisorerna:
    - {{namn: De förtroendevalda revisorerna, post: "Box 0, 000 00 Ort"}}
"""


def _case(example: Example) -> str:
    words = example.words
    return f"""\
# yaml-language-server: $schema=../schema/arende.schema.json
# Ett exempelärende: beslutsgen render gör en tjänsteskrivelse av det (DOCX och PDF).
# Byt ut texten, eller ta bort filen när ni har egna ärenden (och dess § i
# {example.meeting_file.removeprefix("decisions/")}). Ett nytt ärende: beslutsgen new arende.
typ: tjänsteskrivelse
organ: {scalar(words.styrelse)}
diarienummer: {example.dnr}
datum: 2026-01-12
avdelning: Kansliet
handläggare: Förnamn Efternamn
rubrik: Sammanträdesplan för 2027
ärendebeskrivning: |
  {words.styrelse} fastställer varje år när organen sammanträder under
  nästa år. Planen tar hänsyn till budgetprocessen och till skollov och helgdagar.

  Förslaget innebär att

  - {words.organs[0][0].lower()} sammanträder tio gånger under året,
  - {words.organs[1][0].lower()} sammanträder sex gånger.

  | Organ | Sammanträden |
  |---|---:|
  | {words.organs[0][0]} | 10 |
  | {words.organs[1][0]} | 6 |
förslag:
  rubrik: {scalar(words.forslag)}
  punkter:
    - Sammanträdesplanen för 2027 fastställs enligt bilaga.
beslutsunderlag:
  - Tjänsteskrivelse
  - Förslag till sammanträdesplan 2027
bilagor:
  - Förslag till sammanträdesplan 2027
utdrag_till:
  - {words.chef}
  - Registrator
"""


def _meeting(example: Example) -> str:
    words = example.words
    serving = words.organs[0][1] // 2 + 2  # more than half: beslutfört
    names = [f"Ledamot {n}" for n in range(1, serving + 1)]
    parties = ("S", "M", "C", "V", "KD", "L", "SD", "MP")
    members = "".join(
        f"  - {{namn: {name}, parti: {parties[i % len(parties)]}}}\n"
        for i, name in enumerate(names)
    )
    return f"""\
# yaml-language-server: $schema=../schema/sammantrade.schema.json
# Ett exempelsammanträde: beslutsgen meeting gör kallelse, protokoll, protokollsutdrag
# och anslagsbevis av det. Namnen är platshållare. Ett nytt: beslutsgen new meeting.
typ: sammanträde
organ: {scalar(words.styrelse)}
datum: {MEETING_DATE}
tid: "09.00–11.00"
plats: {words.hus}, sammanträdesrummet
ordförande: {names[0]}
sekreterare: Förnamn Efternamn
ledamöter:                         # tjänstgörande; en ersättare skrivs med ersätter:
{members}ersättare:                         # ej tjänstgörande ersättare
  - {{namn: Ersättare Ett, parti: S}}
justerare: [{names[1]}]
justering:
  datum: 2026-02-02
  plats: {words.hus}
  justerat: true                   # först då går utdragen att expediera
anslag: 2026-02-03
paragrafer:
  - nummer: 1
    rubrik: Val av justerare
    beslut: {names[1]} utses att justera protokollet.

  - nummer: 2
    ärende: {example.dnr}
    beslut: enligt förslag         # förslaget ordagrant, eller beslutstexten
"""


def _templates_readme() -> str:
    return """\
# Egna mallar

Det som ligger här ersätter beslutsgens medföljande mallar; det som saknas tas från dem.

- `reference.docx` är formatmallarna i Word-dokumenten (Normal, Heading 1–3, List
  Number, List Bullet, Small, Signature Name/Title, Table Heading/Text, Header/Footer).
  Filen här är en kopia av den medföljande: öppna den i Word, ändra formatmallarna och
  spara. Numreringen i listformaten följer med. Ta bort filen för att få standard igen.
- `tjanssteskrivelse.md.j2` ersätter mallen för tjänsteskrivelsen; sammanträdets
  dokument heter `kallelse.md.j2`, `protokoll.md.j2`, `protokollsutdrag.md.j2`,
  `anslagsbevis.md.j2` och `paragraf.md.j2` (en §, gemensam för protokoll och utdrag).
  En egen mall kan bygga på den medföljande och ändra ett block:

      {% extends "bundled/tjanssteskrivelse.md.j2" %}

  En variabel som saknas är ett fel som anger mall och rad.
- Svenska filter: `långt_datum` ("22 november 2026"), `tkr` ("2 192 000 tkr"),
  `belopp`, `procent` ("5,5 %"), `uppräkning` ("a, b och c").
"""

