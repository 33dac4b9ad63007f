"""Renderers: the block tree to one file format each. Nothing here knows YAML."""
