"""Regenerate docs/yaml-reference.md and schema/*.schema.json from the models."""

from __future__ import annotations

from pathlib import Path

from beslutsgen.load import reference, schema

ROOT = Path(__file__).resolve().parent.parent


def generated() -> dict[Path, str]:
    files = {ROOT / "docs" / "yaml-reference.md": reference.markdown()}
    for kind in schema.MODELS:
        files[ROOT / "schema" / f"{kind}.schema.json"] = schema.json_schema_text(kind)
    return files


def main() -> None:
    for path, text in generated().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
