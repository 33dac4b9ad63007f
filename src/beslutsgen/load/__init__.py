"""Files → validated models, every problem in every file collected before anyone writes.

In: paths (decisions/, beslutsgen.yaml, a meeting file and the project around it).
Out: a `Project` — the profile, each ärende (`LoadedArende`) and each sammanträde
(`LoadedSammantrade`, its §§ linked to their ärenden and delegationsbeslut) — and the
`Problem`s with file, line and column in Swedish. Inside: YAML with positions
(`yamlsource`), pydantic's errors in Swedish (`messages`), reading and validating one
file (`files`), finding the ärende or delegationsbeslut a § names (`index`), linking
(`project`), keeping the valid parts of a broken meeting (`salvage`), § numbering across
meetings (`numbering`), and the JSON Schema and YAML reference made from the models
(`schema`, `reference`).
"""

from beslutsgen.load.project import (
    LoadedArende,
    LoadedSammantrade,
    Project,
    load_model,
    load_profile,
    load_project,
    project_root,
)

__all__ = [
    "LoadedArende",
    "LoadedSammantrade",
    "Project",
    "load_model",
    "load_profile",
    "load_project",
    "project_root",
]
