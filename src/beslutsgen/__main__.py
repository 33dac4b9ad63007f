"""Allow `python -m beslutsgen`."""

from beslutsgen.cli import main

main()
