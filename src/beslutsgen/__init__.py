"""beslutsgen: board business in YAML to tjänsteskrivelser and protocols in DOCX and PDF/A."""

__version__ = "0.1.0"
